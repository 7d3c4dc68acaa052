// curl_easy_setopt / curl_easy_getinfo are variadic: Swift gets typed wrappers.
#ifndef HOMEWARD_CCURL_SHIM_H
#define HOMEWARD_CCURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode hw_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode hw_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode hw_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode hw_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*hw_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode hw_curl_setopt_write_function(CURL *handle, hw_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode hw_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
