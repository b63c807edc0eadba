# Shared compile flags: every Gatescope target links gatescope_flags.
add_library(gatescope_flags INTERFACE)
target_compile_definitions(gatescope_flags INTERFACE
    QT_NO_KEYWORDS
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_CONTEXTLESS_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_FOREACH
    QT_DISABLE_DEPRECATED_UP_TO=0x060800
    GATESCOPE_VERSION="${PROJECT_VERSION}"
    GATESCOPE_APP_ID="${GATESCOPE_APP_ID}")
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(gatescope_flags INTERFACE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
        -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2)
    if(GATESCOPE_WERROR)
        target_compile_options(gatescope_flags INTERFACE -Werror)
    endif()
elseif(MSVC)
    target_compile_options(gatescope_flags INTERFACE /W4 /permissive- /utf-8)
    if(GATESCOPE_WERROR)
        target_compile_options(gatescope_flags INTERFACE /WX)
    endif()
endif()

# Walks a target's link graph and fails the configure step if it reaches Qt Gui or
# Widgets.
function(gatescope_assert_no_gui target)
    set(seen "")
    set(queue ${target})
    while(queue)
        list(POP_FRONT queue current)
        if(current IN_LIST seen OR NOT TARGET ${current})
            continue()
        endif()
        list(APPEND seen ${current})
        get_target_property(aliased ${current} ALIASED_TARGET)
        if(aliased)
            list(APPEND queue ${aliased})
        endif()
        foreach(prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
            get_target_property(libs ${current} ${prop})
            if(NOT libs)
                continue()
            endif()
            foreach(lib IN LISTS libs)
                string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
                if(lib MATCHES "^Qt6?::(Gui|Widgets|GuiPrivate|WidgetsPrivate)$")
                    message(FATAL_ERROR "${target} must not link Qt Gui/Widgets (reached ${lib} through ${current})")
                endif()
                list(APPEND queue ${lib})
            endforeach()
        endforeach()
    endwhile()
endfunction()
