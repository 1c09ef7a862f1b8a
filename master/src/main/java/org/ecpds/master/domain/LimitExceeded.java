package org.ecpds.master.domain;

/**
 * Marks a refusal caused by a destination's limit (Max File Size, Max Pending, a user's quota): REST keeps the
 * status of the exception class, the portal answers RESOURCE_EXHAUSTED.
 */
public interface LimitExceeded {
  /** A file larger than the destination's Max File Size (a bad request for REST). */
  final class TooLarge extends IllegalArgumentException implements LimitExceeded {
    public TooLarge(String message) {
      super(message);
    }
  }

  /** An incoming user's upload or download quota for the current period is used up (portal only). */
  final class QuotaExceeded extends ConflictException implements LimitExceeded {
    public QuotaExceeded(String message) {
      super(message);
    }
  }

  /** The destination already holds Max Pending transfers (a conflict for REST). */
  final class TooManyPending extends ConflictException implements LimitExceeded {
    public TooManyPending(String message) {
      super(message);
    }
  }
}
