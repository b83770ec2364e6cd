# Installs the engine, the plugins and the SDK (headers + CMake package config) for out-of-tree plugins.
install(TARGETS flowmind RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
