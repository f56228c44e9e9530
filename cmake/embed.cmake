# Turns the file IN into a C source OUT defining
#   const char interface_description[];
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}" "/* generated from ${IN} */\nconst char interface_description[] = {${bytes} 0x00};\n")
