/** ecpds master. */
package org.ecpds.master;
