/** ecpds portal. */
package org.ecpds.portal;
