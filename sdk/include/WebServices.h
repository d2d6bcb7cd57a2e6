/* WebServices.h - the spelling some Windows code uses; the header is webservices.h. */
#include "webservices.h"
