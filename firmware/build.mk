# firmware/: the freestanding sevm firmware (flat binary ending at 4 GiB).
# Written by the firmware work; see docs/firmware.md.
