# Turns a text file into a C string constant: -DIN=file -DOUT=file.c -DSYM=name
file(READ ${IN} content HEX)
string(LENGTH "${content}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUT} "/* generated from ${IN} by cmake/embed.cmake */\n#include <stddef.h>\nconst unsigned char ${SYM}[] = {${bytes}0x00};\nconst size_t ${SYM}_len = ${len};\n")
