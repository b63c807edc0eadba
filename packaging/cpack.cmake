# Installers. Linux: DEB, RPM and TGZ against the distribution's Qt and KF6 (Qt's
# deploy script copies nothing useful against a distro Qt, so the packages depend
# on distro packages instead). Windows: NSIS; macOS: an app bundle in a DragNDrop
# DMG; both get Qt's deploy script (windeployqt / macdeployqt) and the KF6 and
# QtKeychain libraries next to the executables (.github/workflows/installers.yml).
# `tools/package` builds and checks the Linux ones.
set(CPACK_PACKAGE_NAME gatescope)
set(CPACK_PACKAGE_VENDOR "The Gatescope team")
set(CPACK_PACKAGE_CONTACT "${GATESCOPE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "native inspector for AI gateway requests")
set(CPACK_PACKAGE_DESCRIPTION_FILE ${CMAKE_CURRENT_SOURCE_DIR}/description.txt)
set(CPACK_PACKAGE_HOMEPAGE_URL "${GATESCOPE_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY Gatescope)
set(CPACK_PACKAGE_EXECUTABLES gatescope Gatescope)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/")

if(WIN32)
    set(CPACK_GENERATOR NSIS)
    set(CPACK_NSIS_PACKAGE_NAME Gatescope)
    set(CPACK_NSIS_DISPLAY_NAME Gatescope)
    set(CPACK_NSIS_MUI_ICON ${GATESCOPE_ICO})
    set(CPACK_NSIS_MUI_UNIICON ${GATESCOPE_ICO})
    set(CPACK_NSIS_INSTALLED_ICON_NAME bin/gatescope.exe)
    set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
    set(CPACK_NSIS_MODIFY_PATH ON) # offers to put gatescope-cli on PATH
    set(CPACK_NSIS_MANIFEST_DPI_AWARE ON)
elseif(APPLE)
    set(CPACK_GENERATOR DragNDrop)
    set(CPACK_DMG_VOLUME_NAME Gatescope)
    set(CPACK_DMG_FORMAT UDZO)
else()
    set(CPACK_GENERATOR DEB RPM TGZ)
    set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
    set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_SOURCE_DIR}/cpack-per-generator.cmake)

    # Debian: library dependencies from dpkg-shlibdeps; what the executables load as
    # plugins (the SQLite driver for the history) named here, as are the platform
    # integrations a desktop session wants.
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
    set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${GATESCOPE_PACKAGE_MAINTAINER}")
    set(CPACK_DEBIAN_PACKAGE_SECTION devel)
    set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite")
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, gnome-keyring | kwallet6")
    set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)

    # RPM: library dependencies found by rpmbuild; the SQL plugin named by hand.
    set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
    set(CPACK_RPM_PACKAGE_RELEASE 1)
    set(CPACK_RPM_PACKAGE_LICENSE "LicenseRef-proprietary")
    set(CPACK_RPM_PACKAGE_GROUP "Development/Tools")
    set(CPACK_RPM_PACKAGE_URL "${GATESCOPE_HOMEPAGE_URL}")
    # The SQLite driver: part of qt6-qtbase on Fedora, qt6-sql-sqlite on openSUSE.
    set(CPACK_RPM_PACKAGE_REQUIRES "(qt6-qtbase or qt6-sql-sqlite)")
    set(CPACK_RPM_CHANGELOG_FILE ${CMAKE_CURRENT_BINARY_DIR}/changelog.rpm)
    # Directories other packages own (filesystem, hicolor-icon-theme) stay theirs.
    set(rpm_shared_dirs
        /usr/share/applications /usr/share/metainfo /usr/share/man /usr/share/man/man1
        /usr/share/icons /usr/share/icons/hicolor /usr/share/icons/hicolor/scalable
        /usr/share/icons/hicolor/scalable/apps)
    foreach(size ${icon_sizes})
        list(APPEND rpm_shared_dirs /usr/share/icons/hicolor/${size}x${size}
            /usr/share/icons/hicolor/${size}x${size}/apps)
    endforeach()
    set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION ${rpm_shared_dirs})

    # The .tar.gz (the .deb and .rpm are named by their own conventions above).
    set(CPACK_PACKAGE_FILE_NAME gatescope-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR})
endif()

include(CPack)
