#include "c_caller.h"

HRESULT wst_fuzz_get_security_token_property(WS_SECURITY_TOKEN* token, int id, void* value,
                                             ULONG valueSize, WS_HEAP* heap, WS_ERROR* error) {
  return WsGetSecurityTokenProperty(token, (WS_SECURITY_TOKEN_PROPERTY_ID)id, value, valueSize,
                                    heap, error);
}

HRESULT wst_fuzz_get_channel_property(WS_CHANNEL* channel, int id, void* value, ULONG valueSize,
                                      WS_ERROR* error) {
  return WsGetChannelProperty(channel, (WS_CHANNEL_PROPERTY_ID)id, value, valueSize, error);
}
