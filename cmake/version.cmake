# The git revision --version prints: regenerated on every build by cmake/build_revision.cmake
# into a header that only src/cli/version_text.cpp includes.
set(TFX_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated)
add_custom_target(tfx_build_revision
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
          -DOUTPUT=${TFX_GENERATED_DIR}/tfx_build_revision.hpp -P ${PROJECT_SOURCE_DIR}/cmake/build_revision.cmake
  BYPRODUCTS ${TFX_GENERATED_DIR}/tfx_build_revision.hpp
  COMMENT "Reading the git revision for --version"
  VERBATIM)
add_dependencies(tfx_app tfx_build_revision)
target_include_directories(tfx_app PRIVATE ${TFX_GENERATED_DIR})
