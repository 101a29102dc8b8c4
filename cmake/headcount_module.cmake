# headcount_module(NAME SOURCES... [DEPS targets...])
# One static library per module: headcount_<name>. The link lines enforce the direction of
# dependencies (see STYLE.md), so a module can only include what it links.
function(headcount_module name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
    set(target headcount_${name})
    add_library(${target} STATIC ${ARG_SOURCES})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_compile_options(${target} PRIVATE ${HEADCOUNT_WARNINGS})
    target_link_libraries(${target} PUBLIC ${ARG_DEPS})
endfunction()

# Targets that include Boost.Beast/Asio share one precompiled header (see src/net/pch_net.hpp).
function(headcount_use_net_pch target)
    target_precompile_headers(${target} REUSE_FROM headcount_net_pch)
endfunction()

# headcount_embed(OUTPUT_VAR FUNCTION name BASE dir FILES...)
# Generates a source file that embeds FILES; sets OUTPUT_VAR to its path.
function(headcount_embed out_var)
    cmake_parse_arguments(ARG "" "FUNCTION;BASE" "FILES" ${ARGN})
    set(output ${CMAKE_CURRENT_BINARY_DIR}/embedded_${ARG_FUNCTION}.cpp)
    # A `;` would split the argument on its way through the generated build rule.
    list(JOIN ARG_FILES "|" files_arg)
    add_custom_command(
        OUTPUT ${output}
        COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DFUNCTION=${ARG_FUNCTION} -DBASE=${ARG_BASE}
                "-DFILES=${files_arg}" -P ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
        DEPENDS ${ARG_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
        COMMENT "Embedding ${ARG_FUNCTION}"
        VERBATIM)
    set(${out_var} ${output} PARENT_SCOPE)
endfunction()

# headcount_embed_web(OUTPUT_VAR FUNCTION name): embeds the dashboard (web/) and the pinned
# socket.io-client browser bundles from node_modules (see cmake/web_bundle.cmake).
function(headcount_embed_web out_var)
    cmake_parse_arguments(ARG "" "FUNCTION" "" ${ARGN})
    file(GLOB_RECURSE web_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/web/*)
    set(client_dist ${PROJECT_SOURCE_DIR}/node_modules/socket.io-client/dist)
    set(umd ${client_dist}/socket.io.min.js)
    set(esm ${client_dist}/socket.io.esm.min.js)
    foreach(vendor IN ITEMS ${umd} ${esm})
        if(NOT EXISTS ${vendor})
            message(FATAL_ERROR "${vendor} is missing: run `npm ci` in ${PROJECT_SOURCE_DIR} (scripts/build.sh does)")
        endif()
    endforeach()
    find_program(GZIP_PROGRAM gzip REQUIRED)
    set(output ${CMAKE_CURRENT_BINARY_DIR}/embedded_${ARG_FUNCTION}.cpp)
    add_custom_command(
        OUTPUT ${output}
        COMMAND ${CMAKE_COMMAND} -DWEB_DIR=${PROJECT_SOURCE_DIR}/web -DSTAGE_DIR=${CMAKE_CURRENT_BINARY_DIR}/web
                -DOUTPUT=${output} -DFUNCTION=${ARG_FUNCTION} -DGZIP=${GZIP_PROGRAM}
                -DSOCKET_IO_UMD=${umd} -DSOCKET_IO_ESM=${esm} -P ${PROJECT_SOURCE_DIR}/cmake/web_bundle.cmake
        DEPENDS ${web_sources} ${umd} ${esm} ${PROJECT_SOURCE_DIR}/cmake/web_bundle.cmake
                ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
        COMMENT "Embedding the dashboard"
        VERBATIM)
    set(${out_var} ${output} PARENT_SCOPE)
endfunction()

# headcount_write_target_graph(FILE): writes every target of the build with its source folder
# and the targets it links directly, as JSON, for scripts/check_includes.py.
function(headcount_write_target_graph file)
    set(pending ${PROJECT_SOURCE_DIR})
    set(entries "")
    while(pending)
        list(POP_FRONT pending dir)
        get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
        list(APPEND pending ${subdirs})
        get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
        foreach(target IN LISTS targets)
            get_target_property(type ${target} TYPE)
            if(type STREQUAL "UTILITY")
                continue()
            endif()
            if(type STREQUAL "INTERFACE_LIBRARY")
                get_target_property(links ${target} INTERFACE_LINK_LIBRARIES)
            else()
                get_target_property(links ${target} LINK_LIBRARIES)
            endif()
            set(deps "")
            foreach(link IN LISTS links)
                if(TARGET ${link} AND link MATCHES "^headcount")
                    list(APPEND deps "\"${link}\"")
                endif()
            endforeach()
            list(JOIN deps ", " deps)
            file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${dir})
            list(APPEND entries
                "  \"${target}\": {\"type\": \"${type}\", \"folder\": \"${folder}\", \"links\": [${deps}]}")
        endforeach()
    endwhile()
    list(JOIN entries ",\n" body)
    file(WRITE ${file} "{\n${body}\n}\n")
endfunction()

# headcount_store_backend(NAME SOURCES... DEPS...): a storage backend's library,
# headcount_store_<NAME>, with its migrations (src/store/migrations/<NAME>/*.sql) embedded.
function(headcount_store_backend name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
    set(migrations ${PROJECT_SOURCE_DIR}/src/store/migrations)
    file(GLOB migration_sql CONFIGURE_DEPENDS ${migrations}/${name}/*.sql)
    headcount_embed(migrations_embedded FUNCTION ${name}_migration_files BASE ${migrations} FILES ${migration_sql})
    headcount_module(store_${name} SOURCES ${ARG_SOURCES} ${migrations_embedded}
        DEPS headcount_store headcount_common ${ARG_DEPS})
endfunction()
