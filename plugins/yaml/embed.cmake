# Writes OUTPUT, a C file defining the bytes of INPUT as yaml_schema_data
# (NUL-terminated) and its length as yaml_schema_size.
#   cmake -DINPUT=file -DOUTPUT=file.c -P embed.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR size "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}" "/* Generated from ${INPUT} by embed.cmake: do not edit. */\n"
  "#include <stddef.h>\n"
  "extern const char yaml_schema_data[];\n"
  "extern const size_t yaml_schema_size;\n"
  "const char yaml_schema_data[] = {\n${bytes}0x00};\n"
  "const size_t yaml_schema_size = ${size};\n")
