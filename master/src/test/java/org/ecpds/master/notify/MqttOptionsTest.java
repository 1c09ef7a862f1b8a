package org.ecpds.master.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.ecpds.master.rules.TemplateContext;
import org.junit.jupiter.api.Test;

class MqttOptionsTest {
  private static final MqttOptions.Broker DEFAULTS = new MqttOptions.Broker("tcp://broker:1883", "u", "p");

  @Test
  void nothingPublishedWithoutMqttPublish() {
    assertThat(MqttOptions.parse("mqtt.topic = a", DEFAULTS)).isEmpty();
    assertThat(MqttOptions.parse("", DEFAULTS)).isEmpty();
  }

  @Test
  void defaultsAndOverrides() {
    MqttOptions o = MqttOptions.parse("mqtt.publish = yes", DEFAULTS).orElseThrow();
    assertThat(o.broker()).isEqualTo(DEFAULTS);
    assertThat(o.qos()).isEqualTo(1);
    assertThat(o.retain()).isFalse();
    assertThat(o.topicAppendsTarget()).isTrue();
    assertThat(o.topic().resolve(TemplateContext.of("D", "a/b.bin", java.time.Instant.EPOCH))).isEqualTo("D/");
    MqttOptions own = MqttOptions.parse("mqtt.publish = yes\nmqtt.url = ssl://other:8883\nmqtt.qos = 0\n"
        + "mqtt.retain = yes\nmqtt.expiryInterval = 1h", DEFAULTS).orElseThrow();
    assertThat(own.broker()).as("a destination's own broker does not inherit the master's login")
        .isEqualTo(new MqttOptions.Broker("ssl://other:8883", "", ""));
    assertThat(own.expiry()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void badValuesNameTheOption() {
    assertThatThrownBy(() -> MqttOptions.check("mqtt.publish = yes\nmqtt.url = http://x:1")).hasMessageContaining("mqtt.url");
    assertThatThrownBy(() -> MqttOptions.check("mqtt.publish = yes\nmqtt.url = tcp://x")).hasMessageContaining("mqtt.url");
    assertThatThrownBy(() -> MqttOptions.check("mqtt.publish = maybe")).hasMessageContaining("mqtt.publish");
    assertThatThrownBy(() -> MqttOptions.check("mqtt.publish = yes\nmqtt.qos = 3")).hasMessageContaining("mqtt.qos");
    assertThatThrownBy(() -> MqttOptions.check("mqtt.publish = yes\nmqtt.topic = a/#")).hasMessageContaining("mqtt.topic");
    assertThatThrownBy(() -> MqttOptions.check("mqtt.publish = yes\nmqtt.expiryInterval = soon"))
        .hasMessageContaining("mqtt.expiryInterval");
    assertThatThrownBy(() -> MqttOptions.check("mqtt.publish = yes\nmqtt.format = xml")).hasMessageContaining("mqtt.format");
    assertThatThrownBy(() -> MqttOptions.check("mqtt.publish = yes\nmqtt.payload = \"$bogus\""))
        .hasMessageContaining("mqtt.payload").hasMessageContaining("$bogus");
    assertThatThrownBy(() -> MqttOptions.check("mqtt.qso = 1")).hasMessageContaining("mqtt.qso");
  }

  @Test
  void backoffDoublesUpToTheCap() {
    Duration min = Duration.ofSeconds(1);
    Duration max = Duration.ofMinutes(1);
    assertThat(NotificationPublisher.backoff(0, min, max)).isEqualTo(Duration.ofSeconds(1));
    assertThat(NotificationPublisher.backoff(3, min, max)).isEqualTo(Duration.ofSeconds(8));
    assertThat(NotificationPublisher.backoff(10, min, max)).isEqualTo(max);
    assertThat(NotificationPublisher.backoff(500, min, max)).isEqualTo(max);
  }
}
