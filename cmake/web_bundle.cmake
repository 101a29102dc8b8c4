# cmake -DWEB_DIR=web -DSTAGE_DIR=dir -DOUTPUT=file.cpp -DFUNCTION=name -DGZIP=gzip
#       -DSOCKET_IO_UMD=socket.io.min.js -DSOCKET_IO_ESM=socket.io.esm.min.js -P web_bundle.cmake
# Lays the dashboard out as it is served, then embeds it (embed.cmake):
#   index.html                      the page shell, with @ASSETS@ and @MODULE_PRELOADS@ filled in
#   assets/<version>/...            every other file of web/, plus vendor/socket.io.esm.min.js
#   socket.io/socket.io.js          the socket.io-client browser bundle, as the Node server serves it
# <version> is a hash of all inputs, so asset URLs change whenever any content does and can be
# cached for good. Text files also get a `.gz` sibling (gzip -9 -n: reproducible) when it is smaller.
file(GLOB_RECURSE sources RELATIVE "${WEB_DIR}" "${WEB_DIR}/*")
list(SORT sources)

set(fingerprint "")
foreach(relative IN LISTS sources)
    file(SHA256 "${WEB_DIR}/${relative}" digest)
    string(APPEND fingerprint "${relative} ${digest}\n")
endforeach()
foreach(vendor IN ITEMS "${SOCKET_IO_UMD}" "${SOCKET_IO_ESM}")
    file(SHA256 "${vendor}" digest)
    string(APPEND fingerprint "${vendor} ${digest}\n")
endforeach()
string(SHA256 version "${fingerprint}")
string(SUBSTRING "${version}" 0 12 version)
set(assets "/assets/${version}")

file(REMOVE_RECURSE "${STAGE_DIR}")
set(staged "")
set(preloads "")
foreach(relative IN LISTS sources)
    if(relative STREQUAL "index.html")
        continue()
    endif()
    set(target "${STAGE_DIR}/assets/${version}/${relative}")
    get_filename_component(target_dir "${target}" DIRECTORY)
    file(MAKE_DIRECTORY "${target_dir}")
    file(COPY_FILE "${WEB_DIR}/${relative}" "${target}")
    list(APPEND staged "${target}")
    if(relative MATCHES "^js/.*\\.js$" AND NOT relative STREQUAL "js/main.js")
        string(APPEND preloads "    <link rel=\"modulepreload\" href=\"${assets}/${relative}\">\n")
    endif()
endforeach()

file(MAKE_DIRECTORY "${STAGE_DIR}/assets/${version}/vendor" "${STAGE_DIR}/socket.io")
file(COPY_FILE "${SOCKET_IO_ESM}" "${STAGE_DIR}/assets/${version}/vendor/socket.io.esm.min.js")
file(COPY_FILE "${SOCKET_IO_UMD}" "${STAGE_DIR}/socket.io/socket.io.js")
list(APPEND staged "${STAGE_DIR}/assets/${version}/vendor/socket.io.esm.min.js" "${STAGE_DIR}/socket.io/socket.io.js")
string(APPEND preloads "    <link rel=\"modulepreload\" href=\"${assets}/vendor/socket.io.esm.min.js\">\n")

file(READ "${WEB_DIR}/index.html" shell)
string(STRIP "${preloads}" preloads)
string(REPLACE "@MODULE_PRELOADS@" "${preloads}" shell "${shell}")
string(REPLACE "@ASSETS@" "${assets}" shell "${shell}")
file(WRITE "${STAGE_DIR}/index.html" "${shell}")
list(APPEND staged "${STAGE_DIR}/index.html")

set(compressed "")
foreach(path IN LISTS staged)
    if(NOT path MATCHES "\\.(html|css|js|mjs|svg|json|txt|map)$")
        continue()
    endif()
    execute_process(
        COMMAND "${GZIP}" -9 -n -c "${path}"
        OUTPUT_FILE "${path}.gz"
        RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "gzip failed on ${path}")
    endif()
    file(SIZE "${path}" plain_size)
    file(SIZE "${path}.gz" gzip_size)
    if(gzip_size LESS plain_size)
        list(APPEND compressed "${path}.gz")
    else()
        file(REMOVE "${path}.gz")
    endif()
endforeach()

set(BASE "${STAGE_DIR}")
set(FILES ${staged} ${compressed})
include("${CMAKE_CURRENT_LIST_DIR}/embed.cmake")
