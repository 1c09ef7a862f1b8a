package org.ecpds.mover.link;

import org.ecpds.proto.ListingPage;

/** Where the pages of a remote listing go (the master link), at the pace the master reads them. */
@FunctionalInterface
public interface PageSink {
  /** Blocks until the page can be sent; false when the link is down (the listing cannot go on). */
  boolean sendListingPage(ListingPage page) throws InterruptedException;
}
