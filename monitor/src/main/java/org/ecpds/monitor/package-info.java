/** ecpds monitor. */
package org.ecpds.monitor;
