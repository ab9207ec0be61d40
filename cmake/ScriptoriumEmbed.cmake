# scriptorium_embed(OUTPUT file.c INPUT file NAME name [COMMENT text])
#
# Compiles a file into a plugin: a build rule that writes file.c, defining
# the bytes of INPUT as `const char name_data[]` (NUL-terminated) and their
# count as `const size_t name_size`, again whenever INPUT changes. Add
# file.c to the plugin's SOURCES. Used by the YAML plugin (its JSON Schema)
# and the TEI plugin (encodingDesc's prose).
#
# Run as a script, it writes the file:
#   cmake -DINPUT=file -DOUTPUT=file.c -DNAME=name -P ScriptoriumEmbed.cmake
if(CMAKE_SCRIPT_MODE_FILE)
  file(READ "${INPUT}" hex HEX)
  string(LENGTH "${hex}" n)
  math(EXPR size "${n} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
  get_filename_component(input_name "${INPUT}" NAME)
  file(WRITE "${OUTPUT}" "/* Generated from ${input_name} by ScriptoriumEmbed.cmake: do not edit. */\n"
    "#include <stddef.h>\n"
    "extern const char ${NAME}_data[];\n"
    "extern const size_t ${NAME}_size;\n"
    "const char ${NAME}_data[] = {\n${bytes}0x00};\n"
    "const size_t ${NAME}_size = ${size};\n")
  return()
endif()

include_guard(GLOBAL)

function(scriptorium_embed)
  set(script "${CMAKE_CURRENT_FUNCTION_LIST_FILE}")
  cmake_parse_arguments(ARG "" "OUTPUT;INPUT;NAME;COMMENT" "" ${ARGN})
  if(NOT ARG_OUTPUT OR NOT ARG_INPUT OR NOT ARG_NAME)
    message(FATAL_ERROR "scriptorium_embed: OUTPUT, INPUT and NAME are required")
  endif()
  if(NOT ARG_COMMENT)
    set(ARG_COMMENT "Embedding ${ARG_INPUT}")
  endif()
  add_custom_command(OUTPUT "${ARG_OUTPUT}"
    COMMAND ${CMAKE_COMMAND} -DINPUT=${ARG_INPUT} -DOUTPUT=${ARG_OUTPUT} -DNAME=${ARG_NAME}
            -P "${script}"
    DEPENDS "${ARG_INPUT}" "${script}"
    COMMENT "${ARG_COMMENT}")
endfunction()
