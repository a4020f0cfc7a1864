"""Search over the guides and scam warnings of installed packs.

Customers at a kiosk often have no Chinese input method, so one index answers
every way of typing a problem:

* Chinese characters (``支付密码``, ``密码``, ``退``): an inverted index of
  the characters and character pairs of every field. A query character counts
  where it stands next to its query neighbour (a pair, in any field, worth
  more), or on its own in a title or keyword; a one-character query matches in
  any field. One or two characters must all count, a longer query most of
  them; filler characters (了, 怎么, 吗, ...) are left out when there is
  anything else.
* Pinyin against titles and keywords: full syllables, initials, a mix of both
  and a half-typed last syllable (``zhifumima``, ``zhifu mima``, ``zfmm``,
  ``zhifumim``, ``tk``). Each character may be typed as any prefix of its
  syllable: the initial (``z`` or ``zh``), the whole syllable, or anything in
  between, which also forgives a dropped *-g*. Readings are phrase-aware, so
  银行 is *yinhang*, not *yinxing*.
* Characters and pinyin mixed (``支付mm``, ``zhifu密码``): both parts must
  match the same document, and an unbroken run in a title or keyword ranks
  highest.
* English words (``refund``, ``payment password``): both words of two must
  match, most words of a longer query (small words such as "my" and "how" are
  left out). The last word is also matched as the start of title and keyword
  words, so results follow each keystroke (``ref``).
* One typo (``refnud``, ``pasword``, ``zhifumina``): a letter wrong, missing,
  added, or two neighbours swapped, for English words of four letters or more
  that match nothing as typed, and for pinyin of five letters or more that
  matches nothing. Typo matches rank below exact ones.

* Wallet names (``微信 退款``, ``zhifubaomima``, ``wxmm``, ``alipay refund``):
  see `kiosk.search.wallets`; contact requests and typed numbers: see
  `SearchIndex.search`. Synonym groups of packs widen every item's keywords.
* A pair of characters no text has (``微信腿款``) is also matched by its sound, as pinyin.

Both sides are normalised alike: NFKC (full-width letters become half-width),
lower case, ü typed as v; punctuation and spaces separate words.

How results are ranked, every weight, and how to change one: `kiosk.search.score`.

The modules:

* `text`: normal form, tokens, small words, plural twins, words one typo away;
* `pinyin`: readings of Chinese text and every way to type them;
* `score`: weights, factors and bonuses, and the packed tally that adds them up;
* `wallets`: wallet names and aliases in a query, in every script;
* `synonyms`: packs' synonym groups, and the intent (contact, scam) of a query;
* `snippet`: the piece of an item's text a result shows;
* `index`: `SearchIndex` (building, postings, matching) and its documents and hits.

`pypinyin` and `rapidfuzz` are imported when an index is built, not when this
package is imported: the kiosk's first paint needs neither.
"""

from __future__ import annotations

from kiosk.search.index import SearchDocument, SearchHit, SearchIndex
from kiosk.search.score import FIELDS
from kiosk.search.snippet import snippet
from kiosk.search.text import normalize

__all__ = ["FIELDS", "SearchDocument", "SearchHit", "SearchIndex", "normalize", "snippet"]
