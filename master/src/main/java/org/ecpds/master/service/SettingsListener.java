package org.ecpds.master.service;

import java.util.List;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.HostAssociation;

/**
 * How settings changes reach the scheduler: as events carrying what it needs (the destination and
 * its enabled dissemination hosts in failover order), so that it never reads the database to react.
 */
public interface SettingsListener {
  void destinationChanged(Destination destination, List<HostAssociation> disseminationHosts);

  void destinationRemoved(long destinationId);

  SettingsListener NONE = new SettingsListener() {
    @Override
    public void destinationChanged(Destination destination, List<HostAssociation> disseminationHosts) {}

    @Override
    public void destinationRemoved(long destinationId) {}
  };
}
