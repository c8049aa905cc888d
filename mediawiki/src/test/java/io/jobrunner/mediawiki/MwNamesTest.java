package io.jobrunner.mediawiki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MediaWiki's names, against the values MediaWiki 1.39 was observed to write. */
class MwNamesTest {

    @ParameterizedTest(name = "domain {0} -> wiki {1} -> keys {2}")
    @CsvSource(delimiter = '|', value = {
            "testwiki         | testwiki        | testwiki:jobqueue:T:",
            "otherdb-mw_      | otherdb-mw_     | otherdb-mw_:jobqueue:T:",
            "db-sch-pre       | db-sch-pre      | db-sch-pre:jobqueue:T:",
            "my?hwiki         | my-wiki         | my-wiki:jobqueue:T:",
            "my?hwiki-mw_     | my-wiki-mw_     | my-wiki-mw_:jobqueue:T:",
            "pgdb-mediawiki-  | pgdb            | pgdb:jobqueue:T:",
            "db-mediawiki-pre | db-pre          | db-pre:jobqueue:T:",
            "a??b             | a?b             | a%3Fb:jobqueue:T:",
            "caféwiki         | caféwiki        | caf%C3%A9wiki:jobqueue:T:",
            "we:ird/db%x      | we:ird/db%x     | we%3Aird%2Fdb%25x:jobqueue:T:"})
    void everyObservedDomainGetsTheKeysMediaWikiWrote(String domain, String wikiId, String prefix) {
        assertThat(MwNames.wikiId(domain)).isEqualTo(wikiId);
        assertThat(MwNames.keyPrefix(domain, "T")).isEqualTo(prefix);
    }

    @Test
    void typesAreRawurlencodedInKeys() {
        assertThat(MwNames.keyPrefix("testwiki", "my:type x")).isEqualTo("testwiki:jobqueue:my%3Atype%20x:");
    }

    @Test
    void rawurlencodeVectors() {
        assertThat(MwNames.rawurlencode("my:type x")).isEqualTo("my%3Atype%20x");
        assertThat(MwNames.rawurlencode("a+b/c")).isEqualTo("a%2Bb%2Fc");
        assertThat(MwNames.rawurlencode("AZaz09-_.~")).isEqualTo("AZaz09-_.~");
        assertThat(MwNames.rawurlencode("caféwiki")).isEqualTo("caf%C3%A9wiki");
    }

    @Test
    void rawurldecodeVectors() {
        assertThat(MwNames.rawurldecode("my%3Atype%20x")).isEqualTo("my:type x");
        assertThat(MwNames.rawurldecode("a+b")).as("+ is kept, never a space").isEqualTo("a+b");
        assertThat(MwNames.rawurldecode("a%2Fb")).isEqualTo("a/b");
        assertThat(MwNames.rawurldecode("caf%C3%A9wiki")).isEqualTo("caféwiki");
        assertThat(MwNames.rawurldecode("100%")).as("a lone % stays").isEqualTo("100%");
        assertThatThrownBy(() -> MwNames.rawurldecode("%FF%FE")).hasMessageContaining("UTF-8");
    }

    @Test
    void queueIdsDecodeAsPhpJsonEncodedThem() {
        MwQueue weird = MwNames.decodeQueueId("[\"null\",\"we:ird\\/db%x\"]");
        assertThat(weird.type()).isEqualTo("null");
        assertThat(weird.domain()).isEqualTo("we:ird/db%x");
        assertThat(weird.queueId()).as("echoed byte for byte").isEqualTo("[\"null\",\"we:ird\\/db%x\"]");
        assertThat(MwNames.decodeQueueId("[\"null\",\"caf\\u00e9wiki\"]").domain()).isEqualTo("caféwiki");
        assertThat(MwNames.decodeQueueId("[\"refreshLinks\",\"my?hwiki\"]").keyPrefix()).isEqualTo("my-wiki:jobqueue:refreshLinks:");
    }

    @Test
    void badQueueIdsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> MwNames.decodeQueueId("not json")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> MwNames.decodeQueueId("[\"a\"]")).hasMessageContaining("two strings");
        assertThatThrownBy(() -> MwNames.decodeQueueId("[\"a\",1]")).hasMessageContaining("two strings");
        assertThatThrownBy(() -> MwNames.decodeQueueId("[\"\",\"w\"]")).hasMessageContaining("empty");
    }

    @Test
    void aDomainOfFourPartsIsRejected() {
        assertThatThrownBy(() -> MwNames.wikiId("a-b-c-d")).hasMessageContaining("4").hasMessageContaining("1 to 3");
    }

    @Test
    void readyFieldsRoundTrip() {
        assertThat(MwNames.readyField("htmlCacheUpdate", "testwiki")).isEqualTo("htmlCacheUpdate/testwiki");
        assertThat(MwNames.readyField("my:type x", "my?hwiki")).isEqualTo("my%3Atype%20x/my%3Fhwiki");
        String field = MwNames.readyField("t/1", "we:ird/db%x");
        assertThat(MwNames.parseReadyField(field)).containsExactly("t/1", "we:ird/db%x");
        assertThat(MwNames.parseReadyField("htmlCacheUpdate/my?hwiki")).containsExactly("htmlCacheUpdate", "my?hwiki");
        assertThatThrownBy(() -> MwNames.parseReadyField("_epoch")).hasMessageContaining("<type>/<domain>");
        assertThatThrownBy(() -> MwNames.parseReadyField("/w")).hasMessageContaining("<type>/<domain>");
    }

    @Test
    void legacyPlaceholdersAreReplacedLikePhpStrtr() {
        Placeholders p = Placeholders.of("my?hwiki", "it's", 30, "300M");
        assertThat(Placeholders.escapeshellarg("it's")).isEqualTo("'it'\\''s'");
        assertThat(p.fillLegacy("run --wiki=%(db)x --type=%(type)x --url=%(db)u --w=%(wiki)x %(maxtime)x %(maxmem)u"))
                .isEqualTo("run --wiki='my?hwiki' --type='it'\\''s' --url=my%3Fhwiki --w='my-wiki' '30' 300M");
        assertThat(p.fill("--wiki={db}")).isEqualTo("--wiki=my?hwiki");
        assertThat(p.fill("http://h/rpc?wiki={db:u}&t={type:u}&m={maxtime}")).isEqualTo("http://h/rpc?wiki=my%3Fhwiki&t=it%27s&m=30");
        assertThat(Placeholders.unknownBrace("--x={dbx}")).isEqualTo("{dbx}");
        assertThat(Placeholders.unknownLegacy("%(db)x %(nope)u")).isEqualTo("%(nope)u");
    }
}
