package io.hishel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.hishel.Rfc;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Rfc("RFC 9110 §8.8.3")
class EntityTagTest {

    @Test
    void parsesStrongAndWeakTags() {
        assertThat(EntityTag.parse("\"xyzzy\"")).hasValue(new EntityTag("xyzzy", false));
        assertThat(EntityTag.parse("W/\"xyzzy\"")).hasValue(new EntityTag("xyzzy", true));
        assertThat(EntityTag.parse(" \"\" ")).hasValue(new EntityTag("", false));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xyzzy", "\"", "\"a\"b\"", "W/xyzzy", "w/\"xyzzy\"", "\"a b\"", "'a'", ""})
    void rejectsMalformedTags(String value) {
        assertThat(EntityTag.parse(value)).isEmpty();
    }

    @ParameterizedTest(name = "{0} vs {1}: strong {2}, weak {3}")
    @CsvSource(delimiter = '|', value = {
        "W/\"1\" | W/\"1\" | false | true",
        "W/\"1\" | W/\"2\" | false | false",
        "W/\"1\" | \"1\"   | false | true",
        "\"1\"   | \"1\"   | true  | true"})
    @Rfc("RFC 9110 §8.8.3.2")
    void comparesAsTable3Says(String first, String second, boolean strong, boolean weak) {
        EntityTag a = EntityTag.parse(first).orElseThrow();
        EntityTag b = EntityTag.parse(second).orElseThrow();

        assertThat(a.strongMatches(b)).isEqualTo(strong);
        assertThat(a.weakMatches(b)).isEqualTo(weak);
    }

    @Test
    void parsesListsSkippingInvalidMembers() {
        List<EntityTag> tags = EntityTag.parseList(List.of("\"a\", W/\"b\", junk, \"c,d\"", "\"e\""));

        assertThat(tags).extracting(EntityTag::toString).containsExactly("\"a\"", "W/\"b\"", "\"c,d\"", "\"e\"");
    }

    @Test
    void recognisesTheWildcard() {
        assertThat(EntityTag.isWildcard(List.of("*"))).isTrue();
        assertThat(EntityTag.isWildcard(List.of(" * "))).isTrue();
        assertThat(EntityTag.isWildcard(List.of("\"*\""))).isFalse();
        assertThat(EntityTag.parseList(List.of("*"))).isEmpty();
    }

    @Test
    void writesTheFieldValueForm() {
        assertThat(new EntityTag("v1", true)).hasToString("W/\"v1\"");
        assertThat(new EntityTag("v1", false)).hasToString("\"v1\"");
    }

    @Test
    void refusesToConstructATagThatCouldNotBeWritten() {
        assertThatIllegalArgumentException().isThrownBy(() -> new EntityTag("a\"b", false));
    }
}
