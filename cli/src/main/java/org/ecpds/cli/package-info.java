/** ecpds cli. */
package org.ecpds.cli;
