"""Rephrasing a question inside another sentence: as an indirect question ("what profit
AstraZeneca reported") or as what "it" points back to ("Israel avoiding sanctioning Russia").
Plain English grammar over a list of common verbs; None when a question's shape is not one of
the common ones, so callers can fall back to quoting it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Common English verbs (base forms); a word in this list, after the subject, is the verb.
VERBS = frozenset(
    """accept accuse achieve acquire act add address admit adopt advise affect agree aim allow
    announce answer appeal appear apply appoint approve argue arrest arrive ask assist attack
    attempt attend avoid award ban bar be bear beat become begin believe belong bid block blame
    boost break bring build burn buy call campaign cancel capture care carry cast catch cause
    celebrate challenge change charge check choose claim clash clear close collapse collect come
    command comment commit compare compete complain complete condemn confirm connect consider
    contain continue contribute control convict cooperate cost count cover create criticise
    criticize cross cut damage deal debate decide declare decline defeat defend delay deliver
    demand deny deploy describe design destroy detain develop die disagree discover discuss
    dismiss display do donate drive drop earn ease elect emerge employ enable encourage end
    endorse enforce engage enjoy enter escape establish estimate evacuate examine expand expect
    explain explode export express face fail fall fear feel fight file fill finance find finish
    fire flee fly follow force form found free freeze fund gain gather get give go govern grant
    grow guarantee halt handle happen harm hear help hire hit hold host hurt identify ignore
    impose improve include increase inform injure install intend introduce invade invest invite
    involve issue join judge jump keep kill know lack land last launch lead learn leave lend let
    lift limit link list live lobby lose lower maintain make manage mark marry matter mean
    measure meet mention merge miss move name need negotiate note notice object obtain occupy
    occur offer open operate oppose order organise organize own participate pass pay perform
    permit pick place plan play pledge point praise predict prepare present press pressure
    prevent produce promise promote propose protect protest prove provide publish pull punish
    purchase push put question raise reach react read receive recognise recognize recommend
    record recover reduce refer refuse regard reject relate release rely remain remove repeat
    replace report represent request require rescue resign resist respond rest restore restrict
    result retire return reveal review rise rule run sanction save say score search secure see
    seek seize select sell send sentence serve set settle share shoot show shut sign sink sit
    slow solve speak spend split spread stand start state stay steal stop strike struggle study
    submit succeed suffer suggest supply support surrender survive suspend sustain take talk
    target teach tell tend terminate test testify think threaten throw tie train transfer travel
    treat trigger try turn undergo understand unite urge use vary verify veto violate visit vote
    wait walk want warn watch win wish withdraw witness work worry write""".split()
)
IRREGULAR = {
    "be": ("was", "been"), "bear": ("bore", "borne"), "beat": ("beat", "beaten"),
    "become": ("became", "become"), "begin": ("began", "begun"), "bid": ("bid", "bid"),
    "break": ("broke", "broken"), "bring": ("brought", "brought"), "build": ("built", "built"),
    "burn": ("burned", "burned"), "buy": ("bought", "bought"), "cast": ("cast", "cast"),
    "catch": ("caught", "caught"), "choose": ("chose", "chosen"), "come": ("came", "come"),
    "cost": ("cost", "cost"), "cut": ("cut", "cut"), "deal": ("dealt", "dealt"),
    "do": ("did", "done"), "drive": ("drove", "driven"), "eat": ("ate", "eaten"),
    "fall": ("fell", "fallen"),
    "feel": ("felt", "felt"), "fight": ("fought", "fought"), "find": ("found", "found"),
    "flee": ("fled", "fled"), "fly": ("flew", "flown"), "freeze": ("froze", "frozen"),
    "get": ("got", "got"), "give": ("gave", "given"), "go": ("went", "gone"),
    "grow": ("grew", "grown"), "have": ("had", "had"), "hear": ("heard", "heard"),
    "hide": ("hid", "hidden"), "hit": ("hit", "hit"),
    "hold": ("held", "held"), "hurt": ("hurt", "hurt"), "keep": ("kept", "kept"),
    "know": ("knew", "known"), "lead": ("led", "led"), "learn": ("learned", "learned"),
    "leave": ("left", "left"), "lend": ("lent", "lent"), "let": ("let", "let"),
    "lose": ("lost", "lost"), "make": ("made", "made"), "mean": ("meant", "meant"),
    "meet": ("met", "met"), "pay": ("paid", "paid"), "put": ("put", "put"),
    "read": ("read", "read"), "rise": ("rose", "risen"), "run": ("ran", "run"),
    "say": ("said", "said"), "see": ("saw", "seen"), "seek": ("sought", "sought"),
    "sell": ("sold", "sold"), "send": ("sent", "sent"), "set": ("set", "set"),
    "shoot": ("shot", "shot"), "show": ("showed", "shown"), "shut": ("shut", "shut"),
    "sink": ("sank", "sunk"), "sit": ("sat", "sat"), "speak": ("spoke", "spoken"),
    "spend": ("spent", "spent"), "split": ("split", "split"), "spread": ("spread", "spread"),
    "stand": ("stood", "stood"), "steal": ("stole", "stolen"), "strike": ("struck", "struck"),
    "take": ("took", "taken"), "teach": ("taught", "taught"), "tell": ("told", "told"),
    "think": ("thought", "thought"), "throw": ("threw", "thrown"),
    "understand": ("understood", "understood"), "undergo": ("underwent", "undergone"),
    "wear": ("wore", "worn"), "win": ("won", "won"), "withdraw": ("withdrew", "withdrawn"), "write": ("wrote", "written"),
}  # fmt: skip
PAST_TO_BASE = {forms[0]: base for base, forms in IRREGULAR.items()} | {
    forms[1]: base for base, forms in IRREGULAR.items()
}
_DETERMINERS = frozenset(
    "the a an his her its their this that these those our your my some many several any each "
    "every no both all another such".split()
)
_BE = {"is": "is", "are": "are", "was": "was", "were": "were", "'s": "is"}
_DO = {"do", "does", "did"}
_MODALS = {"can", "could", "will", "would", "should", "may", "might", "must", "shall"}
_HAVE = {"has", "have", "had"}
_WH = re.compile(
    r"^(?P<wh>(?:(?:in|on|at|by|since|from|for|to|with|during|until) )?"
    r"(?:what|which|whose|how many|how much|how long|how far|how old|how big"
    r"|how large|how tall|how high|how often)(?:\s+[\w\-’']+){0,3}?|why|when|where|how|who|whom)"
    r"\s+(?P<aux>is|are|was|were|do|does|did|can|could|will|would|should|may|might|must|has"
    r"|have|had)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_YES_NO = re.compile(
    r"^(?P<aux>is|are|was|were|do|does|did|can|could|will|would|should|may|might|has|have"
    r"|had)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_WH_SUBJECT = re.compile(r"^(?:who|what|which|how many|how much)\b", re.IGNORECASE)
# "Who were named ...", "Which players were not picked": the wh-phrase is the subject, and the
# question is already in the order of an indirect one.
_WH_PASSIVE = re.compile(
    r"^(?:who|what|(?:which|how many)(?:\s+[a-z][\w\-’']*){1,3}?)\s+(?:is|are|was|were)"
    r"(?:\s+not)?\s+(?P<verb>[a-z][\w\-]*)\b",
    re.IGNORECASE,
)
# An auxiliary with "n't" ("Why wasn't", "Why didn't the").
_NEGATED_AUX = re.compile(
    r"\b(?P<aux>is|are|was|were|do|does|did|ca|could|wo|would|should|has|have|had)n[’']t\b",
    re.IGNORECASE,
)
_UNCONTRACTED = {"ca": "can", "wo": "will"}
# Question words that are no object of the verb, "in what year", "by how much" too.
_ADJUNCT_WH = frozenset(["when", "where", "why", "how", "how long", "how often", "how far"])
_PREPOSITIONS = frozenset("in on at by since from for to with during until".split())
_WHEN_WORD = re.compile(
    r"(?:\d|(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
)
# ... and more that a wh-subject's "were" may be followed by ("Which universities were behind
# the research?")
_PLACE_PREPOSITIONS = frozenset(
    {"behind", "among", "near", "under", "over", "inside", "outside", "against", "about"}
)
_SUBORDINATORS = frozenset("when after before while because since until if during".split())
_STRANDED = frozenset({"for", "about", "with", "to", "from", "of", "in", "on", "at", "by"})
_RELATIVE = frozenset({"that", "which", "who", "whom", "whose", "where", "when"})
MAX_PHRASED_CHARS = 300


def past(verb: str) -> str:
    if verb in IRREGULAR:
        return IRREGULAR[verb][0]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    if _doubles(verb):
        return verb + verb[-1] + "ed"
    return verb + "ed"


def gerund(verb: str) -> str:
    if verb == "be":
        return "being"
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if _doubles(verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def third_person(verb: str) -> str:
    if verb in ("be",):
        return "is"
    if verb in ("have",):
        return "has"
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _doubles(verb: str) -> bool:
    """Short verbs of one syllable ending consonant-vowel-consonant double it (stop, plan, ban,
    bar; not "open": "opened")."""
    return (
        len(verb) <= 4
        and len(verb) >= 3
        and verb[-1] not in "aeiouwxy"
        and verb[-2] in "aeiou"
        and verb[-3] not in "aeiou"
        and (not any(c in "aeiou" for c in verb[:-3]) or verb in _STRESSED_LAST)
    )


_STRESSED_LAST = frozenset({"omit", "emit", "abet", "abut", "aver"})  # "omitted", not "edited"


# "the name of ...", "the flight number of ...": a noun phrase naming a part or property of
# something.
_PART_OF = re.compile(r"^(?:the|a|an) (?:[a-z\-]+ ){1,2}of ")


def _base(word: str) -> str | None:
    """The base form of a verb form ("signed" -> "sign", "trying" -> "try"), if it is one."""
    lowered = word.lower()
    if lowered in VERBS:
        return lowered
    if lowered in PAST_TO_BASE:
        return PAST_TO_BASE[lowered]
    for suffix, replacements in (
        ("ied", ("y",)),
        ("ying", ("y", "ie")),
        ("ing", ("", "e")),
        ("ed", ("", "e")),
        ("es", ("", "e")),
        ("s", ("",)),
    ):
        if lowered.endswith(suffix):
            stem = lowered[: -len(suffix)]
            for ending in replacements:
                if stem + ending in VERBS:
                    return stem + ending
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in VERBS:
                return stem[:-1]
    return None


@dataclass(frozen=True)
class Parsed:
    """A wh-question taken apart: "why | did | Israel | avoid | sanctioning Russia"."""

    wh: str  # "" for a yes/no question
    aux: str
    subject: str
    verb: str  # the main verb as written ("" for "what is X")
    rest: str


def _is_participle(word: str) -> bool:
    lowered = word.lower()
    base = _base(word)
    if base is None:
        # A verb the list lacks, in "-ed" after "was": "When was the mayor stabbed?"
        return word.isalpha() and word.islower() and len(word) > 4 and word.endswith("ed")
    if lowered == base:
        # "set", "put", "hit": a participle written as the verb itself ("was the company set up")
        return base in IRREGULAR and IRREGULAR[base][1] == base
    return lowered.endswith(("ed", "ing", "en")) or lowered in PAST_TO_BASE


# Verbs that take another verb right after them ("did the team help build it"), and verbs
# whose object is a noun that is also a verb ("take place", "open fire", "catch fire").
_CATENATIVE = frozenset({"help", "let", "make", "go", "come", "try", "dare", "take", "catch",
                         "open", "set", "give", "hold", "pay", "keep", "get", "have", "do",
                         "cause", "play"})  # fmt: skip


def _split_subject(words: list[str], form: str) -> tuple[list[str], str, list[str]]:
    """Subject words, the verb, and what follows; the verb is the first verb of the wanted
    `form` ("base" after do/can, "participle" after is/has) after at least one subject word
    (the word after a determiner is never the verb; a relative clause ends the search)."""
    for i, word in enumerate(words):
        lowered = word.lower()
        if lowered in _RELATIVE and i > 0:
            break
        if i == 0 or (i == 1 and words[0].lower() in _DETERMINERS):
            continue
        if word[:1].isupper() or lowered in _DETERMINERS:
            continue
        following = words[i + 1].lower() if i + 1 < len(words) else ""
        if form == "base" and lowered in ("have", "need", "want") and following == "to":
            return words[:i], word, words[i + 1 :]  # "does he have to pay back"
        if (
            form == "base"
            and lowered in VERBS
            and not (
                # "did the apartment block come down", "did the storm surge reach": a noun that
                # is also a verb, inside a subject that opens with a determiner, before the verb
                i >= 2
                and words[0].lower() in _DETERMINERS
                and following in VERBS
                and lowered not in _CATENATIVE
            )
        ):
            return words[:i], word, words[i + 1 :]
        if form == "participle" and _is_participle(word):
            return words[:i], word, words[i + 1 :]
    last = words[-1] if len(words) > 1 else ""
    subject = words[:-1]
    if (
        form == "base"
        and last.isalpha()
        and last.islower()
        and last not in _DETERMINERS | _PREPOSITIONS | _PLACE_PREPOSITIONS | _STRANDED
        and (
            all(w[:1].isupper() for w in subject)
            or (len(subject) == 2 and subject[0].lower() in _DETERMINERS)
        )
    ):
        # A verb the table lacks, ending the question after a name or "the" and a noun: "What
        # illness did John Luk Jok have?", "What did the boy eat?"
        return subject, last, []
    return words, "", []


@lru_cache(maxsize=1024)
def parse(question: str) -> Parsed | None:
    text = " ".join(question.strip().rstrip("?.! ").split())[:MAX_PHRASED_CHARS]
    match = _WH.match(text)
    if match:
        wh, aux, rest = match.group("wh"), match.group("aux").lower(), match.group("rest")
    else:
        yes_no = _YES_NO.match(text)
        if not yes_no:
            return None
        wh, aux, rest = "", yes_no.group("aux").lower(), yes_no.group("rest")
    words = rest.split()
    if aux in _BE:
        subject, verb, after = _split_subject(words, "participle")
    else:
        subject, verb, after = _split_subject(words, "participle" if aux in _HAVE else "base")
        if not verb:
            return None
    if not subject:
        return None
    return Parsed(wh, aux, " ".join(subject), verb, " ".join(after))


def indirect(question: str) -> str | None:
    """The question as an indirect one, to follow "The articles don't say ...":
    "What pre-tax profit did AstraZeneca report for 2004?" -> "what pre-tax profit AstraZeneca
    reported for 2004"; "Is Israel sanctioning Russia?" -> "whether Israel is sanctioning
    Russia". None for shapes it doesn't know."""
    text = " ".join(question.strip().rstrip("?.! ").split())[:MAX_PHRASED_CHARS]
    text = re.sub(r"^(?:and|but|so|also|then|ok(?:ay)?|well|now)[,\s]+", "", text, flags=re.I)
    # "Why wasn't the NTSB investigating?": read without the "n't", which goes back in after
    # the subject ("why the NTSB was not investigating").
    negated = _NEGATED_AUX.search(text)
    spelled = text
    if negated:
        aux = negated.group("aux")
        aux = _UNCONTRACTED.get(aux.lower(), aux)
        before, after = text[: negated.start()], text[negated.end() :]
        spelled = " ".join(f"{before} {_not(aux)} {after}".split())
        text = " ".join(f"{before} {aux} {after}".split())
    passive = _WH_PASSIVE.match(spelled)
    if passive and _is_participle(passive.group("verb")):
        return _lower_first(spelled)
    parsed = parse(text)
    if parsed is None:
        # "Who leads the station?", "How many people died?": the order is already indirect.
        words = text.split()
        if _WH_SUBJECT.match(text) and any(
            _base(w) is not None and not w[:1].isupper() for w in words[1:7]
        ):
            return _lower_first(spelled)  # with its "not"
        return None
    lead = _lower_first(parsed.wh) if parsed.wh else "whether"
    first = parsed.subject.split()[0]
    if parsed.wh and (
        first.lower() in _PREPOSITIONS | _PLACE_PREPOSITIONS
        or (parsed.wh.lower() in ("how many", "how much") and _is_participle(first))
    ):
        # "How many were on the plane?", "How many were killed?": the question word is the
        # subject; the order stays.
        return _lower_first(spelled)
    if (
        not negated
        and parsed.aux in _BE
        and parsed.wh.lower() in ("what", "who", "which")
        and _PART_OF.match(parsed.subject)
    ):
        # "What was the flight number of the plane Iran shot down?": all after "was" is what
        # is asked about ("what the flight number of the plane Iran shot down was"), not a
        # passive "the flight number of the plane Iran was shot down".
        words = [parsed.subject, parsed.verb, parsed.rest, parsed.aux]
        return " ".join([lead, *(w for w in words if w)])
    if negated:
        base = _base(parsed.verb) or parsed.verb.lower()
        verb = base if parsed.aux in _DO else parsed.verb
        if parsed.aux in _BE and not parsed.verb:
            named, aux, complement = _be_split(parsed.subject, parsed.aux)
            parts = [lead, named, _not(aux), complement]
        else:
            parts = [lead, parsed.subject, _not(parsed.aux), verb, parsed.rest]
        return " ".join(p for p in parts if p)
    if parsed.aux in _DO:
        base = _base(parsed.verb) or parsed.verb.lower()
        if parsed.aux == "did":
            verb = past(base)
        elif parsed.aux == "does":
            verb = third_person(base)
        else:
            verb = base
        parts = [lead, parsed.subject, verb, parsed.rest]
    elif parsed.aux in _BE and not parsed.verb:
        if parsed.wh:
            subject = parsed.subject.split()
            # "how old Gerald Ford was when he died": a clause after the subject stays after.
            # ... and so does a time after it: "where he was in 2019".
            cut = next(
                (
                    i
                    for i, w in enumerate(subject)
                    if i
                    and (
                        w.lower() in _SUBORDINATORS
                        or (
                            w.lower() in ("in", "on")
                            and _WHEN_WORD.match(" ".join(subject[i + 1 :]))
                        )
                    )
                ),
                len(subject),
            )
            subject, clause = subject[:cut], subject[cut:]
            # "what the mechanism is for": a stranded preposition goes after the verb.
            tail = [subject.pop()] if len(subject) > 1 and subject[-1].lower() in _STRANDED else []
            parts = [lead, " ".join(subject), parsed.aux, *tail, " ".join(clause)]
        else:
            parts = [lead, *_be_split(parsed.subject, parsed.aux)]
    else:
        parts = [lead, parsed.subject, parsed.aux, parsed.verb, parsed.rest]
    return " ".join(p for p in parts if p)


def asked_again(question: str, wh: str) -> str | None:
    """`question` asked with another question word, for a bare "why?" after it: "By how much
    did the monarch count go up?" -> "Why did the monarch count go up?". None when the question
    has no subject and verb of its own to keep ("How many people were killed?")."""
    parsed = parse(question)
    if parsed is None or not parsed.verb:
        return None
    # Only where the question word stands for no object of the verb: "What did Bennett say?"
    # gives no "Why did Bennett say?".
    asked = parsed.wh.lower().split()
    if asked and " ".join(asked) not in _ADJUNCT_WH and asked[0] not in _PREPOSITIONS:
        return None
    words = [wh.capitalize(), parsed.aux, parsed.subject, parsed.verb, parsed.rest]
    return " ".join(w for w in words if w) + "?"


def _not(aux: str) -> str:
    """The auxiliary with "not": "was not", "cannot"."""
    return "cannot" if aux.lower() == "can" else f"{aux} not"


def _be_split(rest: str, aux: str) -> list[str]:
    """ "Israel a member of NATO" after "is": the subject is the first name or noun phrase."""
    words = rest.split()
    cut = 1
    while cut < len(words) and (words[cut][:1].isupper() or words[cut - 1].lower() in _DETERMINERS):
        cut += 1
    return [" ".join(words[:cut]), aux, " ".join(words[cut:])]


_WHAT_CAUSED = re.compile(
    r"^(?:and |so )?what (?:caused|triggered|sparked|started|prompted|set off|led to)"
    r" ((?:the|a|an|this|that) [^?]{1,120}?)\s*\??$",
    re.IGNORECASE,
)


def topic(question: str) -> str | None:
    """What "it" means after this question: its subject for "When did the war begin?" ("the
    war"), the whole event for "Why did Israel avoid sanctioning Russia?" ("Israel avoiding
    sanctioning Russia")."""
    cause = _WHAT_CAUSED.match(" ".join(question.split()))
    if cause:
        return cause.group(1)  # "What caused the fire at Notre-Dame?": "the fire at Notre-Dame"
    parsed = parse(question)
    if parsed is None:
        return None
    if parsed.aux in _BE and not parsed.wh and not parsed.verb:
        return _be_split(parsed.subject, parsed.aux)[0]
    if parsed.aux in _BE and _passive(parsed.subject):
        # "What storm surge was forecast when Dorian hit the Bahamas": the wh-phrase is the
        # subject, and "it" after it is not "forecast when ...".
        return None
    if parsed.aux in _BE or not parsed.rest:
        words = parsed.subject.split()
        if len(words) > 1 and words[-1].lower() in _STRANDED:
            words.pop()
        if parsed.wh and len(words) > 1 and words[0].lower() in _PREPOSITIONS | _PLACE_PREPOSITIONS:
            # "Which astronauts were on board SpaceX's first flight?": the wh-phrase is the
            # subject, and "it" is what they were on, not "on board SpaceX's first flight".
            words = (words[2:] if words[1].lower() == "board" else words[1:]) or words
        return " ".join(words)
    wh = parsed.wh.lower().split()
    if wh and wh[-1] in ("what", "which", "who", "whom"):
        return None  # "What did Bennett say about X?": "it" is rarely "Bennett saying about X"
    if wh and wh[0] in ("what", "which") and len(wh) > 1:
        base = _base(parsed.verb) or parsed.verb.lower()
        return f"the {' '.join(wh[1:])} {parsed.subject} {past(base)} {parsed.rest}".strip()
    base = _base(parsed.verb) or parsed.verb.lower()
    return f"{parsed.subject} {gerund(base)} {parsed.rest}"


_PARTICLES = frozenset({"down", "up"})  # "shoot down the plane"
# Verbs that act on nothing: "go off the air" has no object.
_INTRANSITIVE = frozenset(
    {"go", "come", "fall", "run", "stay", "remain", "become", "seem", "happen", "die", "live"}
    | {"arrive", "rise", "sit", "stand", "lie"}
)


def object_of(question: str) -> str | None:
    """What the question's verb acts on, up to a preposition or a clause: "youtube-dl" in "Why
    did GitHub pull youtube-dl in October?", "the plane" in "Why did Iran shoot down the
    plane?". None when the verb has no such object or the question has no verb."""
    parsed = parse(question)
    if parsed is None or parsed.aux in _BE or not parsed.rest:
        return None
    if (_base(parsed.verb) or parsed.verb.lower()) in _INTRANSITIVE:
        return None
    words = parsed.rest.split()
    if words and words[0].lower() in _PARTICLES:
        words = words[1:]
    cut = next(
        (
            i
            for i, w in enumerate(words)
            if w.lower() in _PREPOSITIONS | _PLACE_PREPOSITIONS | _SUBORDINATORS | _RELATIVE
            or w.lower() in ("and", "or", "but", "so")
        ),
        len(words),
    )
    found = " ".join(words[:cut]).strip(",;:")
    if not found or found.lower() in ("it", "them", "him", "her", "this", "that", "there"):
        return None
    if found.split()[0].lower().endswith("ing"):
        return None  # "avoid sanctioning Russia": an action, which "it" means as a whole
    return found


# Past participles that don't end in "-ed": the irregular table's, and "forecast".
_IRREGULAR_PARTICIPLES = frozenset(forms[1] for forms in IRREGULAR.values()) | {"forecast"}


def _passive(subject: str) -> bool:
    """Whether the words after "was"/"were" open with a past participle (a passive verb, not
    a subject): "forecast when ...", "killed in the attack"."""
    first = next(iter(subject.split()), "")
    return first.islower() and (first.endswith("ed") or first in _IRREGULAR_PARTICIPLES)


def _lower_first(text: str) -> str:
    first, _, rest = text.partition(" ")
    if first.isupper() and len(first) > 1:
        return text
    return first.lower() + (" " + rest if rest else "")
