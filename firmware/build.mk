# firmware objects
