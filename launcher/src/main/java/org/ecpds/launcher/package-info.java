/** ecpds launcher. */
package org.ecpds.launcher;
