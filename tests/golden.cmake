# Runs one golden test: CLI convert INPUT with ARGS, compare to EXPECTED.
# With the environment variable SCRIPTORIUM_REGENERATE=1 it writes EXPECTED
# instead, for review as a diff (git diff tests/).
#   cmake -DCLI=... -DINPUT=... -DEXPECTED=... -DARGS="a;b" -DOUT=... -P golden.cmake
execute_process(
  COMMAND ${CLI} convert ${ARGS} -o ${OUT} ${INPUT}
  RESULT_VARIABLE rc
  ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "convert failed (${rc}) on ${INPUT}:\n${err}")
endif()
if("$ENV{SCRIPTORIUM_REGENERATE}" STREQUAL "1")
  get_filename_component(dir "${EXPECTED}" DIRECTORY)
  file(MAKE_DIRECTORY "${dir}")
  file(COPY_FILE "${OUT}" "${EXPECTED}")
  message(STATUS "regenerated ${EXPECTED}")
  return()
endif()
if(NOT EXISTS "${EXPECTED}")
  message(FATAL_ERROR "no expected output ${EXPECTED}; regenerate with SCRIPTORIUM_REGENERATE=1")
endif()
execute_process(COMMAND diff -u "${EXPECTED}" "${OUT}" RESULT_VARIABLE same OUTPUT_VARIABLE diff)
if(NOT same EQUAL 0)
  message(FATAL_ERROR "output differs from ${EXPECTED}:\n${diff}")
endif()
