/** ecpds mover. */
package org.ecpds.mover;
