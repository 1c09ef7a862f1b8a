package org.ecpds.master.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The service name of a REST method, as OpenECPDS's [API] section names services
 * (incomingUserAdd, destinationList, ...). {@link ApiServiceFilter} matches it against the
 * calling user's regex, if the user has one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ApiService {
  /** OpenECPDS's "auth only" calls (destination details): any authenticated user, limited or not. */
  String AUTH_ONLY = "";

  String value();
}
