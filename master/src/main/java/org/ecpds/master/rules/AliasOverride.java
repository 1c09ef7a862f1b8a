package org.ecpds.master.rules;

import java.time.Duration;

/**
 * What an alias rule decides for one data file: the target in the alias destination and the settings
 * it overrides. A null setting means "as for the original transfer".
 */
public record AliasOverride(String target, Integer priority, Duration lifetime, Boolean asap, Duration delay, Boolean event) {}
