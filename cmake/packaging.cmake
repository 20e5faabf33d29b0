# Installing the command as a Debian tool is laid out, and `cpack -G DEB` in the build directory
# packs it: tcpflow-explain_<version>_<arch>.deb with the binary, the man pages, the bash, zsh
# and fish completions, the README and the copyright file, its Depends computed by
# dpkg-shlibdeps. The package holds the "tool" install component only: the static libraries,
# headers and CMake package files (cmake --install without a component) are for building
# against, not for the command's users.
include(GNUInstallDirs)
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(TFX_DOC_NAME tcpflow-explain)

# Completions, written at build time from the built command's own --help, so that they offer
# every option it has (scripts/completions/generate.py).
set(TFX_COMPLETIONS_DIR ${PROJECT_BINARY_DIR}/completions)
set(TFX_COMPLETION_FILES ${TFX_COMPLETIONS_DIR}/tcpflow-explain.bash ${TFX_COMPLETIONS_DIR}/_tcpflow-explain
                         ${TFX_COMPLETIONS_DIR}/tcpflow-explain.fish)
add_custom_command(
  OUTPUT ${TFX_COMPLETION_FILES}
  # LeakSanitizer off: a sanitizer build's --help run is not where leaks are looked for.
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0 ${Python3_EXECUTABLE}
          ${PROJECT_SOURCE_DIR}/scripts/completions/generate.py $<TARGET_FILE:tfx_cli> ${TFX_COMPLETIONS_DIR}
  DEPENDS tfx_cli ${PROJECT_SOURCE_DIR}/scripts/completions/generate.py
  COMMENT "Writing the shell completions from tcpflow-explain --help"
  VERBATIM)

# Man pages and the README compressed as Debian ships them: gzip -9n (no name or time stamp in
# the header, so the same page gives the same bytes).
set(TFX_MAN_PAGES tcpflow-explain.1 tcpflow-explain-check.1)
set(TFX_GZIPPED_FILES)
function(tfx_gzip source output)
  add_custom_command(OUTPUT ${output}
                     COMMAND sh -c "gzip -9n -c \"$1\" > \"$2\"" sh ${source} ${output}
                     DEPENDS ${source} VERBATIM)
  set(TFX_GZIPPED_FILES ${TFX_GZIPPED_FILES} ${output} PARENT_SCOPE)
endfunction()
foreach(page ${TFX_MAN_PAGES})
  tfx_gzip(${PROJECT_SOURCE_DIR}/docs/man/${page} ${PROJECT_BINARY_DIR}/man/${page}.gz)
endforeach()
tfx_gzip(${PROJECT_SOURCE_DIR}/README.md ${PROJECT_BINARY_DIR}/doc/README.md.gz)
add_custom_target(tfx_install_files ALL DEPENDS ${TFX_COMPLETION_FILES} ${TFX_GZIPPED_FILES})

foreach(page ${TFX_MAN_PAGES})
  install(FILES ${PROJECT_BINARY_DIR}/man/${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tool)
endforeach()
install(FILES ${TFX_COMPLETIONS_DIR}/tcpflow-explain.bash RENAME tcpflow-explain
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT tool)
install(FILES ${TFX_COMPLETIONS_DIR}/_tcpflow-explain
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT tool)
install(FILES ${TFX_COMPLETIONS_DIR}/tcpflow-explain.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d COMPONENT tool)
install(FILES ${PROJECT_BINARY_DIR}/doc/README.md.gz ${PROJECT_SOURCE_DIR}/packaging/copyright
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${TFX_DOC_NAME} COMPONENT tool)

# The Debian package.
set(TFX_HOMEPAGE "" CACHE STRING "Homepage field of the Debian package (left out when empty)")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tcpflow-explain)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "tcpflow-explain maintainers <maintainers@users.noreply.r-seed-d2ae8d17.example>")
set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};${PROJECT_NAME};tool;/")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
    GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
if(TFX_HOMEPAGE)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${TFX_HOMEPAGE})
endif()
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "explain the TCP conversations of a packet capture")
set(CPACK_PACKAGE_DESCRIPTION
    "tcpflow-explain reads a pcap or pcapng file, or captures live from an interface,
rebuilds every TCP connection and runs the RFC 9293 state machine of both
endpoints. It writes each segment with its flags in words, relative sequence
numbers, window and options, what it means, the state changes it causes and
what the analysis found (retransmission, duplicate ACK, zero window, ...),
then a summary per connection: handshake outcome and RTT, how it ended and
who ended it, bytes and packets each way, Zeek's conn_state and history.
.
Output formats: text, JSON, JSON Lines, CSV, Graphviz dot, ladder diagrams
(terminal, Mermaid, SVG) and a self-contained HTML report. The check
subcommand asserts facts about a capture's connections for CI, and the demo
subcommand plays and explains small exchanges on the loopback interface.")
include(CPack)
