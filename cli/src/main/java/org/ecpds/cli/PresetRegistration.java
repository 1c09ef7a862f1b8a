package org.ecpds.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The body of POST /datafile/put (OpenECPDS's names); null fields are left out for the master's defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PresetRegistration(String destination, String source, String target, Map<String, String> metadata,
    Integer priority, String lifetime, Long at, String delay, Boolean standby, Boolean asap, Boolean force,
    String groupby, Boolean noretrieval, Boolean event) {}
