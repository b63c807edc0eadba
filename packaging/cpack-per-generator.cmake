# Read by CPack once per generator (CPACK_PROJECT_CONFIG_FILE). The .tar.gz holds
# bin/, share/... at its top, to be unpacked under any prefix (~/.local,
# /usr/local); the .deb and .rpm install under /usr.
if(CPACK_GENERATOR STREQUAL "TGZ")
    set(CPACK_PACKAGING_INSTALL_PREFIX "/")
endif()
