# `cmake --install build --prefix P`: the engine libraries and their public headers, the scnn command, the
# bundled models and the CMake package (find_package(scnn) → scnn::engine and the finer scnn::ir, scnn::io, ...).
# Included from the top-level CMakeLists.txt after every target exists. docs/LIBRARY.md is the user's side.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SCNN_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/scnn)
set(SCNN_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/scnn)  # users write #include "engine/sim/simulate.hpp"
set(SCNN_INSTALL_MODELSDIR ${CMAKE_INSTALL_DATADIR}/scnn/models)

# The engine, layer by layer (DESIGN.md); scnn::engine is all of it.
set(SCNN_ENGINE_LIBS ir io ref int8 sc sim compile)
add_library(scnn_engine INTERFACE)
foreach(lib ${SCNN_ENGINE_LIBS})
  set_target_properties(scnn_${lib} PROPERTIES EXPORT_NAME ${lib})
  target_link_libraries(scnn_engine INTERFACE scnn_${lib})
endforeach()
set_target_properties(scnn_engine PROPERTIES EXPORT_NAME engine)
add_library(scnn::engine ALIAS scnn_engine)
list(TRANSFORM SCNN_ENGINE_LIBS PREPEND scnn_ OUTPUT_VARIABLE SCNN_ENGINE_TARGETS)
install(TARGETS ${SCNN_ENGINE_TARGETS} scnn_engine scnn EXPORT scnnTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})

# Public headers: the documented API. Internal ones stay out: the ONNX importer's internals, the simulator's
# kernels and connectivity tables.
set(SCNN_PUBLIC_HEADERS
    ir/error.hpp ir/network.hpp ir/sc_plan.hpp ir/fold.hpp
    io/dataset.hpp io/onnx_import.hpp io/plan_json.hpp
    ref/float_exec.hpp
    int8/quantize.hpp int8/int8_exec.hpp int8/fixed_point.hpp
    sim/simulate.hpp
    compile/compiler.hpp compile/calibration.hpp)
file(GLOB SCNN_SC_HEADERS RELATIVE ${SCNN_ROOT}/engine CONFIGURE_DEPENDS ${SCNN_ROOT}/engine/sc/*.hpp)
foreach(h ${SCNN_PUBLIC_HEADERS} ${SCNN_SC_HEADERS})
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
