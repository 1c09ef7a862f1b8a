package org.ecpds.cli;

/** An HTTP reply as the CLI needs it: the status and the (small, JSON) body. */
record Reply(int statusCode, String body) {}
