package org.ecpds.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The body of POST /datafile; null fields are left out so the master applies its defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Registration(String destination, String source, String target, Integer priority, String lifetime,
    Map<String, String> metadata, Long size, Boolean standby, Boolean asap, String delay, Long at,
    Boolean event) {}
