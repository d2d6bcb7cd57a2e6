/* An outside C program built only from the installed webservices.h and libwst. */
#include <WebServices.h>

#include <stdio.h>

int main(void) {
  WS_ERROR* error = NULL;
  ULONG count = 99;
  HRESULT hr = WsCreateError(NULL, 0, &error);
  if (FAILED(hr)) {
    fprintf(stderr, "WsCreateError failed: 0x%08x\n", (unsigned)hr);
    return 1;
  }
  hr = WsGetErrorProperty(error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof count);
  WsFreeError(error);
  if (FAILED(hr) || count != 0) {
    fprintf(stderr, "unexpected error object state\n");
    return 1;
  }
  printf("C consumer linked against libwst\n");
  return 0;
}
