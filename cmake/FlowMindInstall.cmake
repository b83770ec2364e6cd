# Installs the engine, the plugins and the SDK (headers + CMake package config) for out-of-tree plugins.
install(TARGETS flowmind RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The SDK is its own install component so it can be installed alone:
#   cmake --install build/default --prefix ~/.local                    (engine, plugins and SDK)
#   cmake --install build/default --prefix ~/.local --component sdk    (SDK only)
include(CMakePackageConfigHelpers)
set(FLOWMIND_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/FlowMind")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/engine/include/flowmind" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        COMPONENT sdk FILES_MATCHING PATTERN "*.hpp")

set_target_properties(flowmind_sdk PROPERTIES EXPORT_NAME sdk)
install(TARGETS flowmind_sdk EXPORT FlowMindTargets COMPONENT sdk)
install(EXPORT FlowMindTargets NAMESPACE FlowMind:: DESTINATION "${FLOWMIND_CMAKE_INSTALL_DIR}" COMPONENT sdk)

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/FlowMindConfig.cmake.in"
                              "${PROJECT_BINARY_DIR}/cmake/FlowMindConfig.cmake"
                              INSTALL_DESTINATION "${FLOWMIND_CMAKE_INSTALL_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/cmake/FlowMindConfigVersion.cmake"
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/cmake/FlowMindConfig.cmake" "${PROJECT_BINARY_DIR}/cmake/FlowMindConfigVersion.cmake"
              "${CMAKE_CURRENT_LIST_DIR}/FlowMindPlugin.cmake"
        DESTINATION "${FLOWMIND_CMAKE_INSTALL_DIR}" COMPONENT sdk)
