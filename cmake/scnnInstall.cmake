# `cmake --install build --prefix P`: the engine libraries and their public headers, the scnn command, the
# bundled models and the CMake package (find_package(scnn) → scnn::engine and the finer scnn::ir, scnn::io, ...).
# Included from the top-level CMakeLists.txt after every target exists. docs/LIBRARY.md is the user's side.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SCNN_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/scnn)
set(SCNN_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/scnn)  # users write #include "engine/sim/simulate.hpp"
set(SCNN_INSTALL_MODELSDIR ${CMAKE_INSTALL_DATADIR}/scnn/models)

# The engine, layer by layer (DESIGN.md): every library target defined under engine/ (scnn_ir → scnn::ir, ...),
# found rather than listed, so that a library added there joins the export set; scnn::engine is all of them.
function(scnn_engine_libraries dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  set(libs "")
  foreach(t ${targets})
    get_target_property(type ${t} TYPE)
    if(type MATCHES "_LIBRARY$" AND t MATCHES "^scnn_")
      list(APPEND libs ${t})
    endif()
  endforeach()
  foreach(d ${subdirs})
    scnn_engine_libraries(${d} sub)
    list(APPEND libs ${sub})
  endforeach()
  set(${out} ${libs} PARENT_SCOPE)
endfunction()
scnn_engine_libraries(${SCNN_ROOT}/engine SCNN_ENGINE_TARGETS)

add_library(scnn_engine INTERFACE)
foreach(t ${SCNN_ENGINE_TARGETS})
  string(REGEX REPLACE "^scnn_" "" name ${t})
  set_target_properties(${t} PROPERTIES EXPORT_NAME ${name})
  target_link_libraries(scnn_engine INTERFACE ${t})
endforeach()
set_target_properties(scnn_engine PROPERTIES EXPORT_NAME engine)
add_library(scnn::engine ALIAS scnn_engine)
install(TARGETS ${SCNN_ENGINE_TARGETS} scnn_engine scnn EXPORT scnnTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})

# Headers: every engine header but the internal ones (the ONNX importer's internals, the simulator's kernels,
# wiring tables, the compiler's internals), so that a public header never includes one that is missing. Add internal ones here.
set(SCNN_INTERNAL_HEADERS io/onnx_importer.hpp io/onnx_tensor.hpp io/one_line.hpp sim/fast_kernels.hpp
    sim/connectivity.hpp compile/choices.hpp compile/plan_builder.hpp)
file(GLOB_RECURSE SCNN_HEADERS RELATIVE ${SCNN_ROOT}/engine CONFIGURE_DEPENDS ${SCNN_ROOT}/engine/*.hpp)
list(REMOVE_ITEM SCNN_HEADERS ${SCNN_INTERNAL_HEADERS})
foreach(h ${SCNN_HEADERS})
  get_filename_component(dir ${h} DIRECTORY)
  install(FILES ${SCNN_ROOT}/engine/${h} DESTINATION ${SCNN_INSTALL_INCLUDEDIR}/engine/${dir})
endforeach()

install(DIRECTORY ${SCNN_ROOT}/models/ DESTINATION ${SCNN_INSTALL_MODELSDIR} FILES_MATCHING PATTERN "*.onnx" PATTERN "*.json")

install(EXPORT scnnTargets NAMESPACE scnn:: DESTINATION ${SCNN_INSTALL_CMAKEDIR})
configure_package_config_file(${SCNN_ROOT}/cmake/scnnConfig.cmake.in ${CMAKE_BINARY_DIR}/scnnConfig.cmake
                              INSTALL_DESTINATION ${SCNN_INSTALL_CMAKEDIR}
                              PATH_VARS SCNN_INSTALL_MODELSDIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/scnnConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/scnnConfig.cmake ${CMAKE_BINARY_DIR}/scnnConfigVersion.cmake
        DESTINATION ${SCNN_INSTALL_CMAKEDIR})
