# sev objects
