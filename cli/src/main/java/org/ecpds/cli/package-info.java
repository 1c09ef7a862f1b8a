/**
 * The {@code ecpds} command: pushes a file (or stdin) to a destination through the master's REST
 * API and the allocated data mover, and prints the DataFile id once the content is durably stored.
 * Entry point: {@link org.ecpds.cli.Ecpds}.
 */
package org.ecpds.cli;
