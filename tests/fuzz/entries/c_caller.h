/* Calls into the C facade the way a C program makes them: in C an enum parameter may hold any
   int, while C++ code that loads an out-of-range enum value is undefined (UBSan says so). The
   fuzz entry passes ids as int through these. */
#ifndef WST_FUZZ_C_CALLER_H
#define WST_FUZZ_C_CALLER_H

#include <webservices.h>

#ifdef __cplusplus
extern "C" {
#endif

HRESULT wst_fuzz_get_security_token_property(WS_SECURITY_TOKEN* token, int id, void* value,
                                             ULONG valueSize, WS_HEAP* heap, WS_ERROR* error);
HRESULT wst_fuzz_get_channel_property(WS_CHANNEL* channel, int id, void* value, ULONG valueSize,
                                      WS_ERROR* error);

#ifdef __cplusplus
}
#endif

#endif
