package dev.ingest.decide.flags;

import static dev.ingest.decide.flags.FlagFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * One table per operator: {@code filter value | property value | expected}, PostHog's flags service's answers (many
 * from its {@code property_matching.rs} tests). Values are JSON; {@code ABSENT} means the property is not in the map
 * at all, {@code null} that it is, holding null. "Now" is 2024-06-15T12:00:00Z (UTC).
 */
class PropertyMatcherTest {
    private static final String ABSENT = "ABSENT";

    static boolean match(String operator, String filterValue, String propertyValue) {
        PropertyFilter filter = new PropertyFilter(
                "key", Json.read(filterValue), Operator.fromWire(operator), PropertyType.PERSON, null, false);
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        properties.put("other", Json.read("\"value\""));
        if (!propertyValue.equals(ABSENT)) {
            properties.put("key", Json.read(propertyValue));
        }
        return PropertyMatcher.matches(filter, properties, NOW);
    }

    @ParameterizedTest(name = "exact {0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "value"           | "value"     | true
            "value"           | "VALUE"     | true
            "Value"           | "vALUE"     | true
            "value"           | "value2"    | false
            "value"           | ""          | false
            ["a", "b", "c"]   | "B"         | true
            ["a", "b"]        | "d"         | false
            []                | "a"         | false
            [1, 2]            | 2           | true
            true              | true        | true
            true              | "true"      | true
            "True"            | true        | true
            true              | "TRUE"      | true
            true              | false       | false
            "false"           | false       | true
            false             | "False"     | true
            ["false"]         | false       | true
            [true]            | "true"      | true
            true              | 1           | false
            true              | "yes"       | false
            false             | "no"        | true
            false             | null        | true
            true              | null        | false
            "null"            | null        | true
            "É"               | "é"         | true
            5                 | 5           | true
            "5"               | 5           | true
            5                 | "5"         | true
            1.5               | 1.5         | true
            "a"               | ["a"]       | false
            "value"           | ABSENT      | false
            "value"           | null        | false
            null              | "value"     | false
            """)
    void exact(String filterValue, String propertyValue, boolean expected) {
        assertThat(match("exact", filterValue, propertyValue)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "missing operator means exact: {0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "value" | "VALUE"  | true
            "value" | "other"  | false
            """)
    void missingOperatorMeansExact(String filterValue, String propertyValue, boolean expected) {
        assertThat(match(null, filterValue, propertyValue)).isEqualTo(expected);
        assertThat(match("", filterValue, propertyValue)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "is_not {0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "value"      | "value2" | true
            "value"      | "Value"  | false
            ["a", "b"]   | "c"      | true
            ["a", "b"]   | "A"      | false
            true         | false    | true
            true         | "true"   | false
            false        | "no"     | false
            "value"      | 5        | true
            "value"      | ABSENT   | true
            "value"      | null     | true
            null         | "value"  | false
            """)
    void isNot(String filterValue, String propertyValue, boolean expected) {
        assertThat(match("is_not", filterValue, propertyValue)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "is_set/is_not_set {0} vs {1} -> {2}/{3}")
    @CsvSource(delimiter = '|', textBlock = """
            "is_set" | "x"     | true  | false
            "is_set" | ""      | true  | false
            "is_set" | false   | true  | false
            "is_set" | 0       | true  | false
            null     | "x"     | true  | false
            "is_set" | ABSENT  | false | true
            "is_set" | null    | true  | false
            """)
    void isSetAndIsNotSet(String filterValue, String propertyValue, boolean isSet, boolean isNotSet) {
        assertThat(match("is_set", filterValue, propertyValue)).isEqualTo(isSet);
        assertThat(match("is_not_set", filterValue, propertyValue)).isEqualTo(isNotSet);
    }

    @ParameterizedTest(name = "icontains {0} in {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "valUe"  | "value"        | true
            "valUe"  | "343tfvalue5"  | true
            "valUe"  | "Alakazam"     | false
            "valUe"  | 123            | false
            "3"      | 323            | true
            3        | "a3b"          | true
            "3"      | "three"        | false
            "rue"    | true           | true
            "@x.com" | "Bob@X.COM"    | true
            ""       | "anything"     | true
            "x"      | ABSENT         | false
            "x"      | null           | false
            "ul"     | null           | true
            "É"      | "é"            | false
            "ß"      | "ß"            | true
            """)
    void icontains(String filterValue, String propertyValue, boolean expected) {
        assertThat(match("icontains", filterValue, propertyValue)).isEqualTo(expected);
        if (!propertyValue.equals(ABSENT) && !propertyValue.equals("null")) {
            assertThat(match("not_icontains", filterValue, propertyValue)).isEqualTo(!expected);
        }
    }

    @ParameterizedTest(name = "not_icontains {0} in {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "valUe"   | "value"    | false
            "valUe"   | "Alakazam" | true
            "x"       | ABSENT     | true
            "x"       | null       | true
            """)
    void notIcontains(String filterValue, String propertyValue, boolean expected) {
        assertThat(match("not_icontains", filterValue, propertyValue)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} vs {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            icontains_multi     | ["foo", "BAR"] | "xbarx"  | true
            icontains_multi     | ["foo", "bar"] | "baz"    | false
            icontains_multi     | "foo"          | "FOO!"   | true
            icontains_multi     | []             | "foo"    | false
            icontains_multi     | ["foo"]        | ABSENT   | false
            not_icontains_multi | ["foo", "bar"] | "baz"    | true
            not_icontains_multi | ["foo"]        | "Food"   | false
            not_icontains_multi | ["foo"]        | ABSENT   | true
            starts_with         | "Val"          | "value"  | true
            starts_with         | "val"          | "VALUE"  | true
            starts_with         | "Val"          | "xvalue" | false
            starts_with         | "1"            | 123      | true
            starts_with         | "Val"          | ABSENT   | false
            starts_with         | "Val"          | null     | false
            not_starts_with     | "Val"          | "xvalue" | true
            not_starts_with     | "Val"          | "value"  | false
            not_starts_with     | "Val"          | ABSENT   | true
            ends_with           | "@posthog.com" | "ben@PostHog.com" | true
            ends_with           | "@x.com"       | "a@y.com" | false
            ends_with           | "3"            | 123      | true
            ends_with           | "@x.com"       | ABSENT   | false
            not_ends_with       | "@x.com"       | "a@y.com" | true
            not_ends_with       | "@x.com"       | "a@X.com" | false
            not_ends_with       | "@x.com"       | null     | true
            """)
    void substringOperators(String operator, String filterValue, String propertyValue, boolean expected) {
        assertThat(match(operator, filterValue, propertyValue)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "regex {0} on {1} -> {2} (not_regex {3})")
    @CsvSource(delimiter = '|', textBlock = """
            "^user[0-9]+$"   | "user42"   | true  | false
            "^user[0-9]+$"   | "USER42"   | false | true
            "^[A-Z]{2}$"     | "fr"       | false | true
            "^[A-Z]{2}$"     | "FR"       | true  | false
            "a.b"            | "a\\nb"    | false | true
            "^(a+)+$"        | "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" | false | true
            "^user[0-9]+$"   | "user"     | false | true
            "ser"            | "user42"   | true  | false
            "^4[0-9]$"       | 42         | true  | false
            "^true$"         | true       | true  | false
            "["              | "["        | false | false
            "(?=x)x"         | "x"        | true  | false
            "(a)\\\\1"       | "aa"       | true  | false
            "(a)\\\\1"       | "ab"       | false | true
            "(a)\\\\1*(a+)+$" | "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" | false | false
            "x"              | ABSENT     | false | true
            "x"              | null       | false | true
            """)
    void regexAndNotRegex(String filterValue, String propertyValue, boolean regex, boolean notRegex) {
        assertThat(match("regex", filterValue, propertyValue)).isEqualTo(regex);
        assertThat(match("not_regex", filterValue, propertyValue)).isEqualTo(notRegex);
    }

    @ParameterizedTest(name = "{0} {1} vs {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            gt  | 10        | 11         | true
            gt  | 10        | 10         | false
            gt  | 10        | 9.5        | false
            gte | 10        | 10         | true
            gte | 10        | 9          | false
            lt  | "10"      | 9          | true
            lt  | 10        | 10         | false
            lte | 10        | 10         | true
            lte | 10.5      | 11         | false
            gt  | "1e3"     | 1001       | true
            gt  | " 5 "     | 6          | false
            gt  | 10        | "9"        | false
            gt  | 9         | "10"       | true
            gt  | "9"       | "10"       | true
            lt  | 10        | "100"      | false
            lt  | 10        | "09"       | true
            gt  | "abc"     | "abd"      | false
            gt  | "abc"     | 5          | false
            lt  | "abc"     | 5          | false
            gt  | "1d"      | 1.5        | false
            gt  | "0x10"    | 17         | false
            gte | "inf"     | "Infinity" | true
            gt  | 1         | "NaN"      | false
            lte | 1         | "NaN"      | false
            gt  | 0         | true       | false
            lt  | 1         | false      | false
            gt  | 1         | ["a"]      | false
            gt  | 1         | {"a": 1}   | false
            gt  | 1         | ABSENT     | false
            lt  | 1         | ABSENT     | false
            lt  | 1         | null       | false
            gt  | null      | 1          | false
            """)
    void numericComparisons(String operator, String filterValue, String propertyValue, boolean expected) {
        assertThat(match(operator, filterValue, propertyValue)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} vs {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            between     | [1, 10]      | 5        | true
            between     | [1, 10]      | 1        | true
            between     | [1, 10]      | 10       | true
            between     | [1, 10]      | 10.5     | false
            between     | ["1", "10"]  | "5"      | true
            between     | [1.5, 1.5]   | 1.5      | true
            between     | [10, 1]      | 5        | false
            between     | [1]          | 5        | false
            between     | [1, 2, 3]    | 2        | false
            between     | "1,10"       | 5        | false
            between     | [1, "x"]     | 5        | false
            between     | [1, 10]      | "abc"    | false
            between     | [1, 10]      | "NaN"    | false
            between     | [1, 10]      | ABSENT   | false
            between     | [1, 10]      | null     | false
            not_between | [1, 10]      | 11       | true
            not_between | [1, 10]      | 5        | false
            not_between | [1, 10]      | 1        | false
            not_between | [10, 1]      | 50       | false
            not_between | [1, 10]      | "abc"    | false
            not_between | [1, 10]      | "NaN"    | false
            not_between | [1, 10]      | ABSENT   | true
            not_between | [1, 10]      | null     | false
            """)
    void betweenAndNotBetween(String operator, String filterValue, String propertyValue, boolean expected) {
        assertThat(match(operator, filterValue, propertyValue)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} vs {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            is_date_before | "2024-06-01"                | "2024-05-31"                  | true
            is_date_before | "2024-06-01"                | "2024-06-02"                  | false
            is_date_before | "2024-06-01"                | "2024-06-01"                  | false
            is_date_after  | "2024-06-01"                | "2024-06-01T00:00:01Z"        | true
            is_date_after  | "2024-06-01T00:00:00+02:00" | "2024-05-31T23:00:00Z"        | true
            is_date_after  | "2024-06-01T00:00:00+0200"  | "2024-05-31T23:00:00Z"        | true
            is_date_after  | "2024-06-01 10:00:00"       | "2024-06-01 10:00:01"         | true
            is_date_before | "-30d"                      | "2024-05-01"                  | true
            is_date_before | "-30d"                      | "2024-06-01"                  | false
            is_date_before | "30d"                       | "2024-05-01"                  | true
            is_date_after  | "-1h"                       | "2024-06-15T11:30:00Z"        | true
            is_date_after  | "-1h"                       | "2024-06-15T10:30:00Z"        | false
            is_date_after  | "-2w"                       | "2024-06-02T00:00:00Z"        | true
            is_date_before | "-3m"                       | "2024-03-14"                  | true
            is_date_before | "-3m"                       | "2024-03-16"                  | false
            is_date_after  | "-1y"                       | "2023-06-16"                  | true
            is_date_before | "-1y"                       | "2023-06-15"                  | true
            is_date_before | "-9999d"                    | "1990-01-01"                  | true
            is_date_before | "-10000d"                   | "1900-01-01"                  | false
            is_date_before | "-3s"                       | "1900-01-01"                  | false
            is_date_before | "2024-06-01"                | 1700000000                    | true
            is_date_before | "2024-06-01"                | "1700000000"                  | true
            is_date_after  | "2023-11-14T22:13:20Z"      | 1700000000.5                  | true
            is_date_after  | "2023-11-14T22:13:20Z"      | 1700000000                    | false
            is_date_exact  | "2024-06-01T10:00:00Z"      | "2024-06-01T10:00:00Z"        | true
            is_date_exact  | "2024-06-01T10:00:00Z"      | "2024-06-01T12:00:00.000+02:00" | true
            is_date_exact  | "2024-06-01T10:00:00Z"      | 1717236000                    | true
            is_date_exact  | "2024-06-01T10:00:00Z"      | 1717236001                    | false
            is_date_before | "Sat, 01 Jun 2024 00:00:00 GMT" | "2024-05-31"              | true
            is_date_before | "not a date"                | "2024-05-31"                  | false
            is_date_before | "2024-06-01"                | "yesterday"                   | false
            is_date_before | "2024-06-01"                | true                          | false
            is_date_before | 1717236000                  | "2024-05-31"                  | false
            is_date_before | "2024-06-01"                | ABSENT                        | false
            is_date_after  | "2024-06-01"                | null                          | false
            """)
    void dates(String operator, String filterValue, String propertyValue, boolean expected) {
        assertThat(match(operator, filterValue, propertyValue)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} vs {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            semver_eq       | "1.2.3"         | "1.2.3"          | true
            semver_eq       | "1.2.3"         | "v1.2.3"         | true
            semver_eq       | "1.2"           | "1.2.0"          | true
            semver_eq       | "3.8.0"         | "3.08"           | true
            semver_eq       | "1.2.3"         | "1.2.3+build.5"  | false
            semver_eq       | "1.2.3+build.5" | "1.2.3+build.5"  | true
            semver_eq       | "1.2.3"         | "V1.2.3"         | false
            semver_eq       | "1.2.3"         | " v1.2.3"        | false
            semver_eq       | "1.2.3"         | "v 1.2.3 "       | true
            semver_eq       | "1.0.0"         | "1"              | true
            semver_eq       | "1.2.3-01"      | "1.2.3-01"       | false
            semver_gt       | "1.2.3"         | "1.2.3.4"        | false
            semver_gt       | "1.2.3"         | "1..3"           | false
            semver_eq       | "1.2.3"         | "not-a-version"  | false
            semver_eq       | "1.2.3"         | ABSENT           | false
            semver_neq      | "1.2.3"         | "1.2.4"          | true
            semver_neq      | "1.2.3"         | "1.2.3"          | false
            semver_neq      | "1.2.3"         | "garbage"        | false
            semver_neq      | "1.2.3"         | ABSENT           | false
            semver_gt       | "1.2.3"         | "1.10.0"         | true
            semver_gt       | "1.2.3"         | "1.2.3"          | false
            semver_gt       | "1.0.0-alpha"   | "1.0.0-beta"     | true
            semver_gt       | "1.0.0-rc.1"    | "1.0.0"          | true
            semver_gte      | "1.2.3"         | "1.2.3"          | true
            semver_gte      | "1.2.3"         | "1.2.2"          | false
            semver_lt       | "1.0.0"         | "1.0.0-alpha"    | true
            semver_lt       | "2.0.0"         | "10.0.0"         | false
            semver_lte      | "1.0.0-alpha.2" | "1.0.0-alpha.10" | false
            semver_lte      | "1.0.0-alpha.2" | "1.0.0-alpha.2"  | true
            semver_lte      | "1.0.0-alpha.2" | "1.0.0-alpha"    | true
            semver_tilde    | "1.2.3"         | "1.2.9"          | true
            semver_tilde    | "1.2.3"         | "1.3.0"          | false
            semver_tilde    | "1.2.3"         | "1.2.2"          | false
            semver_tilde    | "1.2"           | "1.2.0"          | true
            semver_tilde    | "1"             | "1.0.9"          | true
            semver_tilde    | "1"             | "1.5.0"          | false
            semver_tilde    | "1.2.3-beta"    | "1.2.3-beta.2"   | true
            semver_tilde    | "1.2.3"         | "1.2.4-beta"     | false
            semver_caret    | "1.2.3"         | "1.9.0"          | true
            semver_caret    | "1.2.3"         | "2.0.0"          | false
            semver_caret    | "1.2.3"         | "2.0.0-rc.1"     | false
            semver_caret    | "0.2.3"         | "0.2.9"          | true
            semver_caret    | "0.2.3"         | "0.3.0"          | false
            semver_caret    | "0.0.3"         | "0.0.3"          | true
            semver_caret    | "0.0.3"         | "0.0.4"          | false
            semver_caret    | "0"             | "0.0.1"          | false
            semver_caret    | "1.2.0-alpha"   | "1.5.0"          | true
            semver_caret    | "1.2.0-alpha"   | "1.2.0-beta"     | true
            semver_caret    | "1.2.0-alpha"   | "1.3.0-beta"     | false
            semver_caret    | "not.a.version" | "1.0.0"          | false
            semver_wildcard | "1.2.*"         | "1.2.7"          | true
            semver_wildcard | "1.2.*"         | "1.3.0"          | false
            semver_wildcard | "1.*"           | "1.99.0"         | true
            semver_wildcard | "1.*.*"         | "2.0.0"          | false
            semver_wildcard | "v1.x"          | "1.4.0"          | true
            semver_wildcard | "*"             | "5.0.0"          | true
            semver_wildcard | "1.*.3"         | "1.2.3"          | false
            semver_wildcard | "3.08.*"        | "3.8.1"          | true
            semver_wildcard | "1.2"           | "1.9.0"          | true
            semver_wildcard | "1.2"           | "2.0.0"          | false
            semver_wildcard | "1.2.x"         | "1.2.0-rc.1"     | false
            semver_wildcard | "1.2.*"         | ABSENT           | false
            """)
    void semver(String operator, String filterValue, String propertyValue, boolean expected) {
        assertThat(match(operator, filterValue, propertyValue)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} never matches a person property")
    @CsvSource({"in", "not_in", "flag_evaluates_to", "no_such_operator"})
    void operatorsThatDoNotApplyToPropertiesNeverMatch(String operator) {
        assertThat(match(operator, "\"value\"", "\"value\"")).isFalse();
        assertThat(match(operator, "\"value\"", ABSENT)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Operator.class)
    void aNullPropertyIsPresentAndMatchesAsTheTextNull(Operator operator) {
        if (operator == Operator.UNSUPPORTED) {
            return;
        }
        String wire = operator.wireName();
        for (String filterValue : new String[] {"\"null\"", "\"nu\"", "\"2024-01-01\"", "[\"null\"]", "[1, 2]"}) {
            assertThat(match(wire, filterValue, "null")).as(filterValue).isEqualTo(match(wire, filterValue, "\"null\""));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Operator.class)
    void onlyNegativeOperatorsAndIsNotSetMatchAnAbsentProperty(Operator operator) {
        boolean expected = operator == Operator.IS_NOT
                || operator == Operator.IS_NOT_SET
                || operator == Operator.NOT_ICONTAINS
                || operator == Operator.NOT_ICONTAINS_MULTI
                || operator == Operator.NOT_STARTS_WITH
                || operator == Operator.NOT_ENDS_WITH
                || operator == Operator.NOT_REGEX
                || operator == Operator.NOT_BETWEEN;
        assertThat(match(operator.wireName() == null ? "bogus" : operator.wireName(), "\"x\"", ABSENT))
                .isEqualTo(expected);
    }
}
