# scriptorium_add_plugin(NAME SOURCES src... [LIBRARIES lib...])
#
# Builds a Scriptorium format plugin: a module NAME.so with hidden symbol
# visibility (only the entry function, marked by SCR_PLUGIN_DEFINE, is
# exported), linked against the Scriptorium library. Used in this tree and,
# installed with the SDK, by plugins outside it.
function(scriptorium_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "scriptorium_add_plugin(${name}): no SOURCES")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(TARGET Scriptorium::scriptorium)
    target_link_libraries(${name} PRIVATE Scriptorium::scriptorium ${ARG_LIBRARIES})
  else()
    target_link_libraries(${name} PRIVATE scriptorium ${ARG_LIBRARIES})
  endif()
  if(SCRIPTORIUM_IN_TREE)
    # Installed under LIBDIR/scriptorium/plugins, a plugin finds the library
    # two levels up (cmake/ScriptoriumRunpath.cmake, in this tree only).
    set_target_properties(${name} PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY "${SCRIPTORIUM_BUILD_PLUGIN_DIR}")
    scriptorium_install_with_runpath(${name} "${SCRIPTORIUM_INSTALL_PLUGIN_DIR}" "$ORIGIN/../..")
  endif()
endfunction()
