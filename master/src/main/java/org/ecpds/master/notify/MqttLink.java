package org.ecpds.master.notify;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The Paho adapter: one connection per broker and user, opened on first use and dropped on any
 * failure (the next publish reconnects). A publish returns once the broker has acknowledged it for
 * QoS 1 and 2, so the caller may then forget the message. Used by the publisher thread only.
 */
final class MqttLink implements AutoCloseable {
  private final Duration timeout;
  private final Map<String, MqttClient> clients = new HashMap<>();

  MqttLink(Duration timeout) {
    this.timeout = timeout;
  }

  /** Throws MqttException when the broker is unreachable, refuses the login or does not acknowledge in time. */
  void publish(MqttOptions.Broker broker, String topic, byte[] payload, int qos, boolean retain) throws MqttException {
    MqttClient c = connected(broker);
    try {
      c.publish(topic, payload, qos, retain);
    } catch (MqttException e) {
      drop(broker);
      throw e;
    }
  }

  private MqttClient connected(MqttOptions.Broker broker) throws MqttException {
    MqttClient c = clients.get(broker.key());
    if (c != null && c.isConnected()) return c;
    drop(broker);
    c = new MqttClient(broker.url(), "ecpds-" + UUID.randomUUID().toString().substring(0, 18), new MemoryPersistence());
    c.setTimeToWait(timeout.toMillis());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true); // redelivery is the outbox's job, not the session's
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
    o.setKeepAliveInterval(30);
    if (!broker.user().isEmpty()) {
      o.setUserName(broker.user());
      o.setPassword(broker.password().toCharArray());
    }
    try {
      c.connect(o);
    } catch (MqttException e) {
      c.close(true);
      throw e;
    }
    clients.put(broker.key(), c);
    return c;
  }

  private void drop(MqttOptions.Broker broker) {
    MqttClient c = clients.remove(broker.key());
    if (c == null) return;
    try {
      if (c.isConnected()) c.disconnectForcibly(0, 0, false);
      c.close(true);
    } catch (MqttException e) {
      // already gone: nothing to release
    }
  }

  @Override
  public void close() {
    for (String key : new java.util.ArrayList<>(clients.keySet())) {
      MqttClient c = clients.remove(key);
      try {
        if (c.isConnected()) c.disconnectForcibly(0, 0, false);
        c.close(true);
      } catch (MqttException e) {
        // closing anyway
      }
    }
  }
}
