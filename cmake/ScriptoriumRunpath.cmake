# scriptorium_install_with_runpath(TARGET DESTINATION RUNPATH)
#
# Installs the program or plugin TARGET into DESTINATION and sets the
# installed copy's RUNPATH to RUNPATH ($ORIGIN-based), without the empty
# entry CMake's own way leaves in the build tree's copy.
#
# Why not install(TARGETS) with INSTALL_RPATH: for a target it will rewrite
# at install time, CMake links the build tree's copy with its RUNPATH
# followed by a ':' (and padded with more ':' to the length of the install
# RUNPATH), e.g. "/src/build:". glibc reads an empty entry as the current
# directory, so the build tree's program would load a libnettle.so.8 from
# wherever it is run. Relinking at install time instead
# (CMAKE_NO_BUILTIN_CHRPATH) breaks `cmake --install`, and building with the
# install RUNPATH does not work in the build tree's layout. So the target
# keeps CMake's build-tree RUNPATH (absolute, exactly the directories of the
# libraries it links; a target that is not installed through install(TARGETS)
# gets no padding) and the installed copy is rewritten here with
# file(RPATH_CHANGE), which fills the rest of the entry with NULs.
#
# The rewrite needs the build tree's RUNPATH to be at least as long as
# RUNPATH: for a short build directory, an entry naming the same directory
# with trailing slashes is added first (glibc strips them and searches the
# directory once).
function(scriptorium_install_with_runpath target destination runpath)
  string(LENGTH "${CMAKE_BINARY_DIR}" have)
  string(LENGTH "${runpath}" need)
  if(have LESS need)
    math(EXPR pad "${need} - ${have}")
    string(REPEAT "/" ${pad} slashes)
    set_property(TARGET ${target} APPEND PROPERTY BUILD_RPATH "${CMAKE_BINARY_DIR}${slashes}")
  endif()
  install(PROGRAMS "$<TARGET_FILE:${target}>" DESTINATION "${destination}")
  string(REPLACE "$" "\\$" escaped "${runpath}")
  install(CODE "
    set(_scr_file \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${destination}/$<TARGET_FILE_NAME:${target}>\")
    if(IS_ABSOLUTE \"${destination}\")
      set(_scr_file \"\$ENV{DESTDIR}${destination}/$<TARGET_FILE_NAME:${target}>\")
    endif()
    file(READ_ELF \"\${_scr_file}\" RUNPATH _scr_old)
    string(REPLACE \";\" \":\" _scr_old \"\${_scr_old}\")
    if(_scr_old STREQUAL \"\")
      message(FATAL_ERROR \"\${_scr_file} has no RUNPATH to set (built with CMAKE_SKIP_RPATH?)\")
    endif()
    if(NOT _scr_old STREQUAL \"${escaped}\")
      file(RPATH_CHANGE FILE \"\${_scr_file}\" OLD_RPATH \"\${_scr_old}\" NEW_RPATH \"${escaped}\")
    endif()
    if(CMAKE_INSTALL_DO_STRIP)
      execute_process(COMMAND \"${CMAKE_STRIP}\" \"\${_scr_file}\")
    endif()
  ")
endfunction()
