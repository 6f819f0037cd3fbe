package dev.ingest.plugin.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetPolicyTest {
    /** Names resolve through this table, never DNS. */
    private static final Map<String, String[]> HOSTS = Map.of(
            "public.example", new String[] {"93.184.216.34"},
            "mixed.example", new String[] {"93.184.216.34", "10.0.0.7"},
            "loop.example", new String[] {"127.0.0.1"});

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String[] addresses = HOSTS.get(host);
        if (addresses == null) {
            if (host.matches("[0-9a-fA-F:.]+")) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            throw new UnknownHostException(host);
        }
        InetAddress[] result = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            result[i] = InetAddress.getByName(addresses[i]);
        }
        return result;
    }

    private final TargetPolicy strict = new TargetPolicy(List.of(), TargetPolicyTest::resolve);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/", "http://127.8.9.1:9000/x", "http://[::1]/", "http://10.1.2.3/",
            "http://172.16.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data",
            "http://[fe80::1]/", "http://[fd00::1]/", "http://0.0.0.0/", "http://100.64.0.1/", "http://224.0.0.1/",
            "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/", "https://loop.example/", "https://mixed.example/",
            // IPv6 forms that embed a private IPv4 address, and those whose inner address cannot be judged.
            "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[::7f00:1]/", "http://[::a00:1]/",
            "http://[2002:7f00:1::]/", "http://[2002:c0a8:101::1]/", "http://[64:ff9b:1::5db8:d822]/",
            "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/"})
    void nonPublicTargetsAreRefused(String url) throws Exception {
        assertThat(strict.refusal(URI.create(url))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://public.example/hook", "http://93.184.216.34:8080/", "http://[2606:4700::1111]/",
            "http://[64:ff9b::5db8:d822]/", "http://[2002:5db8:d822::1]/"})
    void publicTargetsAreAllowed(String url) throws Exception {
        assertThat(strict.refusal(URI.create(url))).isEmpty();
    }

    @Test
    void theAllowedAddressIsTheOneThatWasChecked() throws Exception {
        int[] lookups = {0};
        // A rebinding name: public on the first answer, loopback on every later one.
        TargetPolicy policy = new TargetPolicy(List.of(), host -> new InetAddress[] {
            InetAddress.getByName(lookups[0]++ == 0 ? "93.184.216.34" : "127.0.0.1")});

        TargetPolicy.Verdict verdict = policy.check(URI.create("https://rebind.example/hook"));

        assertThat(verdict).isEqualTo(new TargetPolicy.Verdict.Allowed(InetAddress.getByName("93.184.216.34")));
        assertThat(lookups[0]).isEqualTo(1);
    }

    @Test
    void theRefusalNamesTheKindOfAddressAndTheSetting() throws Exception {
        assertThat(strict.refusal(URI.create("http://169.254.169.254/"))).get().asString()
                .contains("link-local").contains("169.254.169.254").contains("allowed-private-networks");
    }

    @Test
    void allowedNetworksOpenExactlyTheirRange() throws Exception {
        TargetPolicy loopbackAllowed = new TargetPolicy(List.of("127.0.0.0/8", "::1/128"), TargetPolicyTest::resolve);
        assertThat(loopbackAllowed.refusal(URI.create("http://127.0.0.1:8080/"))).isEmpty();
        assertThat(loopbackAllowed.refusal(URI.create("http://[::1]/"))).isEmpty();
        assertThat(loopbackAllowed.refusal(URI.create("http://10.0.0.1/"))).isPresent();
        assertThat(loopbackAllowed.refusal(URI.create("http://169.254.169.254/"))).isPresent();
        TargetPolicy narrow = new TargetPolicy(List.of("10.1.2.0/23"), TargetPolicyTest::resolve);
        assertThat(narrow.refusal(URI.create("http://10.1.3.255/"))).isEmpty();
        assertThat(narrow.refusal(URI.create("http://10.1.4.0/"))).isPresent();
    }

    @Test
    void anUnresolvableNameIsAnErrorToRetryNotARefusal() {
        assertThatThrownBy(() -> strict.refusal(URI.create("http://nowhere.example/")))
                .isInstanceOf(UnknownHostException.class);
    }

    @Test
    void invalidAllowedNetworksFailAtStartup() {
        assertThatThrownBy(() -> new TargetPolicy(List.of("localhost/8"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TargetPolicy(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
    }
}
