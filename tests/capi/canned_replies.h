/* Replies the C facade tests serve through the sample STS's replay mode (C99 and C++). */
#ifndef WST_TESTS_CAPI_CANNED_REPLIES_H
#define WST_TESTS_CAPI_CANNED_REPLIES_H

/* A SOAP 1.2 Receiver fault (replay mode serves it with status 500); {{MessageID}} becomes
   the request's MessageID. */
static const char receiver_fault[] =
    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
    "xmlns:a=\"http://www.w3.org/2005/08/addressing\"><s:Header>"
    "<a:Action s:mustUnderstand=\"1\">http://www.w3.org/2005/08/addressing/soap/fault</a:Action>"
    "<a:RelatesTo>{{MessageID}}</a:RelatesTo></s:Header><s:Body><s:Fault><s:Code>"
    "<s:Value>s:Receiver</s:Value></s:Code><s:Reason><s:Text xml:lang=\"en\">the token service "
    "is down for maintenance</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>";

#endif
