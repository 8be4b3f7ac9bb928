"""The detector on its own: concepts, context, typos and what it hands the moderator."""

import pytest

from comments.safety import (
    DOSING,
    MIRACLE_CURE,
    RED_FLAG,
    SELF_HARM,
    ExtraPhrase,
    detect,
    segments,
)


def categories(text, **kwargs):
    return [finding.category for finding in detect(text, **kwargs)]


def concepts(text):
    return {finding.concept for finding in detect(text)}


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("my right calf is swollen and warm since the flight home", "possible clot in the leg"),
        ("My face dropped on one side and my words are slurred", "stroke signs"),
        ("crushing chest pain going into my left arm", "chest pain"),
        ("im really breathless tonight", "breathlessness"),
        ("I took too many of my sleeping tablets", "overdose"),
        ("stopped taking my blood thinners last week", "stopping a prescribed medicine"),
        ("thinking about ending it all", "ending it all"),
        ("I hope I don't wake up tomorrow", "not wanting to wake up"),
        ("my family would be better off without me", "better off dead"),
    ],
)
def test_each_concept_is_named_in_plain_words(text, concept):
    assert concept in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "cant breathe properly",
        "calf swolen and hot",
        "i feel sucidal",
        "my leg is swollen up and red",
        "CHEST PAIN since lunch",
        "I can’t breathe",
    ],
)
def test_typos_missing_apostrophes_and_capitals_are_still_caught(text):
    assert categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "no chest pain, just cramps",
        "my calf is not swollen",
        "the leg isn't hot or red",
        "I don't want to die, I just want to sleep",
        "never had any breathlessness",
    ],
)
def test_negated_symptoms_stay_quiet(text):
    assert categories(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "if you ever get chest pain, call 999",
        "anyone with a swollen hot calf after a flight should see a doctor",
        "If you feel suicidal please ring Samaritans",
        "never double your dose if you miss one",
        "Don't stop your statins without asking your GP",
    ],
)
def test_hypotheticals_and_advice_to_others_stay_quiet(text):
    assert categories(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "my GP checked and it wasn't a clot",
        "I had chest pain years ago, it turned out to be reflux",
        "Scan was clear, no clot, calf swelling was a strain",
    ],
)
def test_resolved_past_events_stay_quiet(text):
    assert categories(text) == []


def test_a_general_question_stays_quiet_but_a_question_about_oneself_does_not():
    assert categories("is chest pain ever a side effect of quinine?") == []
    assert RED_FLAG in categories("I have chest pain right now, is that the quinine?")


@pytest.mark.parametrize(
    "text",
    [
        "my husband has chest pain and is sweating",
        "My 5 year old has a fever and won't walk",
        "my daughter says she wants to kill herself",
    ],
)
def test_someone_else_with_it_now_is_still_urgent(text):
    found = detect(text)
    assert found and found[0].priority == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "these cramps are killing me",
        "I'd kill for one night's sleep",
        "I'm dying for a proper night's sleep",
        "I nearly died of embarrassment when I yelled on the bus",
        "I'll end it there, thanks for the article",
    ],
)
def test_figures_of_speech_are_not_self_harm(text):
    assert SELF_HARM not in categories(text)


def test_findings_carry_spans_that_point_at_the_words_in_the_original_text():
    text = "Long day. Honestly I’ve been thinking about suicide again."
    (finding,) = detect(text)

    (span,) = finding.spans
    assert text[span.start : span.end] == span.text
    assert "suicide" in span.text
    assert finding.words == span.text


def test_findings_come_most_urgent_first_with_priorities():
    text = "Cured forever with this oil. Also my calf is swollen and hot. I want to die."

    found = detect(text)

    assert [f.category for f in found] == [SELF_HARM, RED_FLAG, MIRACLE_CURE]
    assert [f.priority for f in found] == ["urgent", "urgent", "review"]
    assert [f.rank for f in found] == sorted(f.rank for f in found)


def test_dosing_and_miracle_cures_are_for_review():
    found = detect("take 600mg quinine, guaranteed cure")

    assert {(f.category, f.priority) for f in found} == {
        (DOSING, "review"),
        (MIRACLE_CURE, "review"),
    }


def test_extra_phrases_from_moderators_are_found_with_the_same_context_rules():
    extras = [ExtraPhrase(MIRACLE_CURE, "colloidal silver"), ExtraPhrase(DOSING, r"\bzz\d+", True)]

    assert categories("Colloidal silver fixed me", extra_phrases=extras) == [MIRACLE_CURE]
    assert categories("take zz40 daily", extra_phrases=extras) == [DOSING]
    assert categories("no colloidal silver here", extra_phrases=extras) == []


def test_a_broken_extra_regex_never_matches():
    extras = [ExtraPhrase(DOSING, "(unclosed", True)]

    assert categories("(unclosed", extra_phrases=extras) == []


def test_ordinary_cramp_stories_stay_quiet():
    text = (
        "Had a nasty cramp at 3am, stretched my calf against the wall, drank some water "
        "and the magnesium seems to help. My GP checked my legs and said it's just cramp."
    )
    assert detect(text) == []


def test_segments_cut_the_text_for_highlighting_with_overlaps_merged():
    text = "Stretching helps. But I can't breathe and have chest pain now."

    pieces = segments(text, detect(text))

    assert "".join(piece for piece, _ in pieces) == text
    assert [piece for piece, marked in pieces if marked] == ["can't breathe", "chest pain"]


GOODBYE = "saying goodbye or putting affairs in order"
MEANS = "means or a place to end their life"


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("gave my nephew my watch and my medals today", GOODBYE),
        ("sorry for everything, look after mum for me", GOODBYE),
        ("found someone to rehome the cat, wont need the flat much longer", GOODBYE),
        ("i have counted my tablets twice now", MEANS),
        ("stood on the bridge over the bypass for an hour tonight", MEANS),
        ("i've picked the date.", MEANS),
        ("i feel completely trapped, there's only one way out", MEANS),
        ("took a razor to my thighs again last night", "hurting oneself"),
    ],
)
def test_warning_signs_people_show_rather_than_say_are_self_harm(text, concept):
    assert concept in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "giving away my old running shoes if anyone wants them",
        "does tonic water have enough quinine to help with cramps?",
        "hauling on the rope all day at the sailing club, calves ache",
        "my legs are like old rope after a night shift",
        "just written my will at the solicitor's, then cramp in the waiting room",
        "the bath makes me go to sleep and not wake up till the alarm",
        "off on holiday tomorrow, bye all, hope your legs behave",
        "thanks for the replies on my last post, the stretch helped",
    ],
)
def test_look_alikes_of_those_warning_signs_stay_quiet(text):
    assert SELF_HARM not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I take 200mg magnesium at night as my GP suggested",
        "on quinine 300mg at night, prescribed, reviewed every 3 months",
        "my doctor lowered my statin dose to 10mg and the cramps calmed down",
    ],
)
def test_a_dose_a_clinician_set_is_not_dosing_advice(text):
    assert DOSING not in categories(text)


def test_a_clinicians_dose_does_not_cover_what_the_poster_does_instead():
    assert DOSING in categories("my GP prescribed 300mg but I take 900mg when it's bad")


def test_the_second_opinion_covers_every_category():
    from comments.safety.detector import CATEGORIES, lexicon

    assert set(lexicon().second_opinion) == set(CATEGORIES)


@pytest.mark.parametrize(
    "text",
    [
        "kept receipts in a shoebox",
        "one glass of water before bed should be enough.",
        "we finally set a date for the wedding.",
        "picked a day for my knee op.",
        "went to the bridge club last night",
        "got a stash of chocolate for the bad nights",
        "the only way out of a cramp is to stretch it",
        "just let it take its course, it's a cold",
        "i know exactly what they're for, the magnesium ones",
        "counted my tablets and the pharmacy was one short",
        "sorry to everyone who asked, the clinic was closed",
        "my last post was about magnesium",
        "gave my grandson my watch for his 18th",
        "who gets what at christmas is always a row",
        "numb in the saddle area after a long bike ride",
        "stopped sweating so much since the menopause",
        "the wifi is slow then fast",
        "been seasick on the ferry 3 times",
        "take the stairs two at a time",
        "i loved the yoga class, going to take another one",
        "you can't have too much fun",
        "i stretch every night without fail",
        "the dress code is smart casual",
        "a bit of garden rope to tie the tomatoes",
        "raise your legs high enough to feel the stretch",
        "putting money aside for a new mattress",
    ],
)
def test_everyday_sentences_that_share_a_risky_concepts_words_stay_quiet(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "counted my tablets again. should be plenty",
        "i've picked the date.",
        "theres only one way out that i can see",
        "sorry to everyone ive let down",
        "this is my last post, look after yourselves",
        "take 4 advil at a time, the box is too cautious",
        "when the quinine wears off take another two straight after",
        "you can't have too much magnesium, it's natural",
        "it works every time without fail, cured my whole family",
        "use my code HEAL for 20% off",
    ],
)
def test_the_narrowed_patterns_still_find_what_they_are_for(text):
    assert detect(text)


def test_a_hostile_comment_repeating_a_phrase_is_judged_on_a_bounded_number_of_matches():
    from comments.safety.detector import MATCHES_PER_CONCEPT, candidates, lexicon

    hostile = "10mg " * 600
    found = candidates(hostile)

    assert found
    assert len(found) <= MATCHES_PER_CONCEPT * len(lexicon().concepts)
    assert DOSING in categories(hostile)


def test_no_pattern_repeats_a_separator_so_runs_of_spaces_cannot_stall_it():
    """A repeated separator (SEP followed by * or +) backtracks exponentially on a run of spaces,
    commas or dashes: "the only way out" and 22 spaces took 4 s. The structure is checked, not
    the time: no compiled pattern of the lexicon may quantify a separator."""
    from comments.safety.detector import SEP, lexicon

    lex = lexicon()
    patterns = [c.pattern for c in lex.concepts]
    patterns += [c.exclude for c in lex.concepts if c.exclude]
    patterns += [c.requires for c in lex.concepts if c.requires]
    patterns += [m.triggers for m in lex.modifiers]
    patterns += [m.unless for m in lex.modifiers if m.unless]
    patterns += [lex.terminators, lex.contrasts, lex.pseudo]
    for pattern in patterns:
        for quantifier in ("*", "+", "{"):
            assert SEP + quantifier not in pattern.pattern


@pytest.mark.parametrize(
    "text",
    [
        "the only way out" + " " * 22 + ".",
        "i have a plan" + " ," * 14,
        "i have a plan" + " -" * 14,
    ],
)
def test_a_run_of_separators_after_a_phrase_is_still_read(text):
    assert SELF_HARM in categories(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # Who set the dose, said after it.
        ("300mg of magnesium at night, my pharmacist recommended it", DOSING),
        ("I'm on 10mg ramipril, ankles a bit puffy, GP knows", DOSING),
        # What stopped was the pain, not a medicine.
        ("the ache in my calf was awful and then it just stopped", DOSING),
        # A check's verdict said last.
        ("they scanned my swollen calf at the hospital, all clear.", RED_FLAG),
        # Advice addressed to every reader.
        ("a reminder for everyone: chest pain with sweating wants an ambulance", RED_FLAG),
        # An accident told as a near miss; the undead of a bad night.
        ("nearly killed myself slipping on the ice this morning", SELF_HARM),
        ("the walking dead today after another night of cramps", SELF_HARM),
    ],
)
def test_look_alikes_read_in_context_stay_quiet_for_their_category(text, category):
    assert category not in categories(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("take 300mg of magnesium at night, my mate recommended it", DOSING),
        ("the cramps were that bad I just stopped my statins", DOSING),
        ("the quinine made me deaf so I just stopped it", DOSING),
        ("my calf is swollen and hot since the flight, is it all clear to fly home?", RED_FLAG),
        ("a reminder to myself: crushing chest pain again tonight", RED_FLAG),
        ("I nearly killed myself last night", SELF_HARM),
        ("I feel dead inside and I want it all to end", SELF_HARM),
    ],
)
def test_their_risky_counterparts_are_still_caught(text, category):
    assert category in categories(text)


# The self-harm concepts widened from the held-out batches' misses: each new way
# of saying it, in words of its own, and the lexicon concept that now finds it.
@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # A past attempt and the thoughts coming back.
        ("I attempted last winter and lately the thoughts are coming back", "suicidal thoughts"),
        ("I took an overdose three years ago and I feel that way again", "suicidal thoughts"),
        ("my calves ache at night and so are the thoughts", "suicidal thoughts"),
        # Said of someone else: the method and the weapon kept close.
        (
            "my dad keeps a shotgun under his pillow now, says it's not for burglars",
            "suicidal thoughts",
        ),
        ("my brother talks about hanging himself since his legs got bad", "suicidal thoughts"),
        # Euphemisms for going.
        ("tired of it all and ready to sign off for good", "suicidal thoughts"),
        ("night all, hopefully it's the last one", "suicidal thoughts"),
        (
            "this is probably my last month on earth so the cramps hardly matter",
            "suicidal thoughts",
        ),
        ("I will be gone by the next appointment so cancel it", "suicidal thoughts"),
        ("it's not like I'll need a repeat prescription", "suicidal thoughts"),
        ("my sister keeps telling me she's done, with everything", "suicidal thoughts"),
        ("I have made my choice and I am at peace with my decision.", "suicidal thoughts"),
        # The means asked about, with the negation or the 'if' inside the question.
        ("how much amitriptyline would be lethal", "death or dying, said in earnest"),
        (
            "tell me if you can die from taking a whole box of these",
            "death or dying, said in earnest",
        ),
        # Not waking, asked of God.
        ("every night I pray God will take me", "not wanting to wake up"),
        ("is there a way to make sure I never wake up", "not wanting to wake up"),
        ("I hope my heart just stops in my sleep tonight", "not wanting to wake up"),
        # Burden, and the kindness of going.
        ("I'm a burden for my whole family", "better off dead"),
        ("It would be easier if I was no longer here", "better off dead"),
        ("I'd be doing them a favour, honestly", "better off dead"),
        # Hopelessness said other ways.
        ("he doesn't see any point in living since the diagnosis", "no point or no way to go on"),
        ("I've got no future, just pain", "no point or no way to go on"),
        ("nothing to look forward to. not one thing", "no point or no way to go on"),
        (
            "the specialist has given up and I have nothing left to stay for",
            "no point or no way to go on",
        ),
        ("I'm done and I won't be sticking around much longer", "no point or no way to go on"),
        ("I have no intention of seeing another Christmas", "no point or no way to go on"),
        ("lost the will to live this spring. I mean it", "no point or no way to go on"),
        # Gathering the means, asking if it is enough.
        ("would 30 of the sleeping tablets do it?", "a plan to end their life"),
        ("he's been saving his tramadol instead of taking it", "a plan to end their life"),
        ("I've been putting aside a few every month", "a plan to end their life"),
        ("bought paracetamol from several chemists today", "a plan to end their life"),
        ("what happens if you swallow 50 of your pills", "a plan to end their life"),
        ("left notes, just in case I go through with it", "a plan to end their life"),
        # Farewells shown, not said.
        (
            "she rang round the whole family to say goodbye last night",
            "saying goodbye or putting affairs in order",
        ),
        (
            "he told me which drawer the deeds are kept in",
            "saying goodbye or putting affairs in order",
        ),
        ("I need to rehome my old terrier this week", "saying goodbye or putting affairs in order"),
        (
            "forgive me for everything. love to you all",
            "saying goodbye or putting affairs in order",
        ),
        ("sorry, this isn't your fault", "saying goodbye or putting affairs in order"),
        (
            "I'm putting my paperwork in order this weekend",
            "saying goodbye or putting affairs in order",
        ),
        (
            "my aunt came round to give me all her jewellery yesterday",
            "saying goodbye or putting affairs in order",
        ),
        # Means or a place.
        (
            "left the engine running in the garage last night and sat in it",
            "means or a place to end their life",
        ),
        (
            "I walked to the top of the car park and looked down",
            "means or a place to end their life",
        ),
        ("I've picked a date.", "means or a place to end their life"),
        ("could go jumpin aff the old rail bridge", "means or a place to end their life"),
        # Self-harm told sideways.
        ("cutting helps more than the stretches do", "hurting oneself"),
        ("my legs throb after I cut, is that normal", "hurting oneself"),
        ("the scars are from me, not the cat", "hurting oneself"),
        ("I skip dinner most days because I haven't earned food", "hurting oneself"),
    ],
)
def test_the_widened_self_harm_concepts_find_new_ways_of_saying_it(text, concept):
    assert concept in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "these cramps are killing me",
        "I'm done with this cramp",
        "my husband said he'd rather shoot himself than sit through another podiatrist visit",
        "nothing to look forward to at bedtime except the cramp lol, days are fine",
        "is it ok to run the car in the garage for a few minutes to warm it up",
        "just written my will, the solicitor was lovely and told me about her cramps",
        "this never ending cramp is driving me up the wall",
        "after I cut out caffeine the cramps eased",
        "we found a new home for our old sofa",
        "it's not your fault your legs cramp, it runs in families",
        "thanks for everything, the magnesium tip worked",
        "one magnesium tablet at night, for me it's enough.",
        "the cramp always hits at 3am. that's when.",
        "night cramps in older people are a real burden on the NHS",
    ],
)
def test_look_alikes_of_the_widened_self_harm_concepts_stay_quiet(text):
    assert SELF_HARM not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        # A medicine that does not work is a complaint, not a negation of what follows.
        "ibuprofen doesn't help her, so I give my 6 year old some of my codeine",
        # What the poster does after a comma is a clause of its own.
        "if the GP won't give you any, I take 400mg a night",
        # "she" is a relative here, not a clinician.
        "my aunt swears by it, she takes 5 quinine tablets a night",
    ],
)
def test_dosing_read_in_its_own_clause_and_of_whoever_takes_it(text):
    assert DOSING in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "my GP rang back, she said take 2 magnesium tablets a night",
        "stopped the statin when my doctor said, the aches went",
        "I take 20mg because my consultant advised it",
    ],
)
def test_a_clinician_named_by_pronoun_or_after_the_dose_still_quiets_it(text):
    assert DOSING not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        # Skipping or leaving out a diuretic before a trip, said as a habit.
        "I always skip my water tablet before a long coach trip",
        "I miss my furosemide on days I'm going shopping",
        "leave out your bendroflumethiazide when you travel",
        "I don't take my water pills the day before a wedding",
        # Halving, alternate days, only when one feels like it, less of it.
        "been halving my levothyroxine since Christmas",
        "I only take half my ramipril now",
        "I put myself on half my warfarin dose",
        "I only take the apixaban on alternate days now",
        "I use my inhaler only when I feel wheezy",
        "just take less insulin at bedtime if the cramps come",
        "I cut mine by 8 units when my legs are bad",
        # Stopping, said other ways, and restless-legs or nerve-pain medicines by name.
        "just stop the pregabalin, I did",
        "gave up my statins in June, best thing I did",
        "weaning myself off the citalopram, no GP",
        "I haven't taken my blood pressure tablets for a fortnight",
        "I've stopped injecting my evening insulin",
        "I skipped the pill for a week whenever the cramps came",
        "I cut out my thyroxine because I read it causes aches",
        "not taking my atorvastatin any more, the aches were awful",
        "I have cut my insulin right down this week",
        # US and brand names.
        "quit my Lexapro on my own last month",
        "my dad stopped his Xarelto because of the bruising",
        "I dont take my Lasix if im going out for the day",
    ],
)
def test_skipping_halving_or_stopping_a_medicine_said_other_ways_is_found(text):
    assert {"halving or skipping a dose", "stopping a prescribed medicine"} & concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "my GP halved my dose and the cramps eased",
        "my GP is weaning me off the amitriptyline slowly",
        "my GP told me to skip the water tablet on the day of a long journey",
        "I haven't taken my tablets yet today, will do after breakfast",
        "I leave out salt when I cook now",
        "I take my metformin on alternate days as the diabetes nurse set it",
        "I gave up my gym membership when the cramps started",
        "my mum halved her walking distance and the cramps improved",
        # The clinician, a hospital, or a refusal.
        "my GP was lovely, she halved my dose",
        "the hospital increased my warfarin after the clot",
        "I'm not taking my statin anymore since my GP stopped it",
        "I won't stop my warfarin whatever anyone says",
    ],
)
def test_look_alikes_of_skipping_halving_or_stopping_stay_quiet(text):
    assert DOSING not in categories(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # Raising it, another one, several at once, a missed one made up.
        ("upped my levo myself to 125", "doubling a dose"),
        ("keep upping your magnesium until your legs settle", "doubling a dose"),
        ("if the quinine hasn't worked by midnight take another", "doubling a dose"),
        ("if one dioralyte doesn't sort it, just take two", "doubling a dose"),
        ("take another one at 3am if you wake up", "doubling a dose"),
        ("when it won't shift I take a second dose", "doubling a dose"),
        ("I had 3 at once and it worked", "doubling a dose"),
        ("forgot my apixaban Sunday so took two Monday to make up", "doubling a dose"),
        ("taking the sertraline at double strength this week", "doubling a dose"),
        ("doubling up on my heart tablets when my ankles swell", "doubling a dose"),
        ("my aunt's doubled her bumetanide without asking", "doubling a dose"),
        # A number instead of another, or more than a clinician or label set.
        ("I take my co-codamol every 3 hours instead of 6", "doubling a dose"),
        ("took 3 instead of 1 last night", "doubling a dose"),
        ("I take my water pill three times a day now instead of once", "doubling a dose"),
        ("the GP gave me 100mg but I take 300 at weekends", "doubling a dose"),
        ("the jar says 2 scoops, I use 5", "doubling a dose"),
        ("I take three times what the leaflet says", "more than the label says"),
        ("I usually go over the recommended dose", "more than the label says"),
        # "You can't overdose", said other ways.
        ("honestly it's impossible to overdose on magnesium", '"you can\'t overdose on it"'),
        ("there's no limit on magnesium, it's natural", '"you can\'t overdose on it"'),
        ("take as many salt tablets as you need", '"you can\'t overdose on it"'),
    ],
)
def test_more_again_or_past_the_label_said_other_ways_is_found(text, concept):
    assert concept in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "the consultant upped my levothyroxine after the blood test",
        "if one doesn't work, don't take another, ring the pharmacist",
        "if it doesn't help, have another chat with your GP",
        "my gran said she'd rather die than take another tablet",
        "I ran 4 miles instead of 8 because of the cramp",
        "I do 10 stretches instead of 5 now",
        "the tub says 1 scoop and I stick to that",
        "no limit to how much you can stretch",
        "as many stretches as you like, they won't hurt",
    ],
)
def test_look_alikes_of_more_again_or_past_the_label_stay_quiet(text):
    assert DOSING not in categories(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # Amounts: a range, some of one's own or another's, by the hour, by the spoonful.
        ("I take 5 or 6 nytol to get through the night", "an amount of a medicine"),
        ("swallow 3 of your quinine with warm milk", "an amount of a medicine"),
        ("4 sachets of dioralyte an hour when I'm cramping", "an amount of a medicine"),
        ("3 heaped teaspoons epsom salt in juice", "an amount of a medicine"),
        ("stir a spoonful of epsom salts into water and drink it", "an amount of a medicine"),
        ("she swallows 4 magnesium capsules at night", "an amount of a medicine"),
        ("bought codeine online because my GP wouldn't", "an amount of a medicine"),
        ("I borrowed a few of my dad's water tablets", "an amount of a medicine"),
        ("I use my sisters inhaler when mine runs out", "an amount of a medicine"),
        # An adult's medicine for a child.
        ("my 13 year old takes one of my diazepam before exams", "adult medicine for a child"),
        ("the kids sometimes get a quarter of my zopiclone", "adult medicine for a child"),
        ("for her growing pains I give her a baby aspirin", "adult medicine for a child"),
        ("Nana gives my little boy her co-codamol", "adult medicine for a child"),
        (
            "paracetamol doesn't work so I gave my 8 year old one of my tramadol",
            "adult medicine for a child",
        ),
        # Loading up: big drinks of a remedy, potassium pills.
        (
            "a huge pint glass of pickle juice at bedtime",
            "loading up on salt, potassium or magnesium",
        ),
        ("drink two litres of tonic water a day", "loading up on salt, potassium or magnesium"),
        (
            "a handful of magnesium tablets won't hurt you",
            "loading up on salt, potassium or magnesium",
        ),
        (
            "I take potassium pills alongside my spironolactone",
            "loading up on salt, potassium or magnesium",
        ),
    ],
)
def test_amounts_children_and_loading_up_said_other_ways_are_found(text, concept):
    assert concept in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "one of my tablets gives me cramps, seeing the GP",
        "I take 2 or 3 days off running when they're bad",
        "a big glass of water before bed helps",
        "I took my mum's tablets to the pharmacy to be disposed of",
        "I give my daughter her inhaler before PE",
        "my kids get a bit of my attention at bedtime",
        "I order my repeat prescription online through the app",
        "I take a handful of almonds every night for the magnesium",
        "I use my husband's foam roller on my calves",
    ],
)
def test_look_alikes_of_amounts_children_and_loading_up_stay_quiet(text):
    assert DOSING not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        # A condition first, then the instruction after its comma.
        "if the night is a bad one, take 5 magnesium tablets",
        "when you've a long coach trip, skip your furosemide",
        "if you wake with a cramp at 4am, have another 300mg",
        # The medicine named earlier in the sentence, then "it" or "them".
        "if the bisoprolol makes your calves ache, halve it",
        "if you ache on atorvastatin, just stop it for a fortnight",
        "when the cramp is a bad one, pop 3 quinine",
        "if your lad has growing pains, give him half an adult co-codamol",
    ],
)
def test_dosing_instructions_after_a_condition_are_found(text):
    assert DOSING in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "if in doubt, don't take more than the packet says",
        "if you're unsure, take the dose on the label",
        "if you forget a dose, take it when you remember",
        "when you fly, take your tablets in your hand luggage",
        "if the cramps are bad, stretch and drink water",
        "I skipped it this week, the yoga class, too tired",
    ],
)
def test_look_alikes_of_dosing_instructions_after_a_condition_stay_quiet(text):
    assert DOSING not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        # A clinician who does not know, or whose decision came before the poster's own.
        "my GP has no idea I came off my bisoprolol",
        "the practice nurse doesn't know I skip my metformin at weekends",
        "the GP put me on ramipril, I stopped it after a fortnight",
        "I'm off the atorvastatin, did it myself",
        "I was prescribed levothyroxine but I take double when I'm tired",
        # Advice to do it, not a caution.
        "always take 3 of the quinine, 1 does nothing",
        "make sure you double up on the potassium when it's hot",
        "don't take your bendroflumethiazide on a driving day",
    ],
)
def test_dosing_the_clinician_does_not_know_of_or_advised_outright_is_found(text):
    assert DOSING in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "always check with your pharmacist before you double up on anything",
        "I'm off my statin while I'm on antibiotics, doctor's orders",
        "I'm off the quinine now, my GP stopped it",
        "I had a double at the pub on Friday and the cramps were awful",
        "make sure you take your tablets with food",
        "always take your levothyroxine on an empty stomach",
    ],
)
def test_look_alikes_of_unknown_or_outright_dosing_stay_quiet(text):
    assert DOSING not in categories(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # Loading up: a salt substitute, by the hour, a whole bottle, as much as one can.
        ("2 teaspoons of LoSalt in my soup, and I'm on ramipril", "an amount of a medicine"),
        (
            "been having potassium every couple of hours since lunch",
            "loading up on salt, potassium or magnesium",
        ),
        (
            "neck a whole bottle of tonic water at bedtime",
            "loading up on salt, potassium or magnesium",
        ),
        (
            "magnesium with every meal, as much as I can get down",
            "loading up on salt, potassium or magnesium",
        ),
        # "You can't overdose", said other ways.
        ("it's just a mineral, you can't have too much", '"you can\'t overdose on it"'),
        ("more potassium is always better", '"you can\'t overdose on it"'),
        ("your kidneys just flush out the excess anyway", '"you can\'t overdose on it"'),
        # Someone else's medicine.
        ("ran out of quinine so I'm taking my dad's", "an amount of a medicine"),
        ("I finished off the rest of my nan's co-codamol", "an amount of a medicine"),
    ],
)
def test_loading_up_and_someone_elses_medicine_said_other_ways_are_found(text, concept):
    assert concept in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "magnesium spray is brilliant, I use loads of it",
        "I use my husband's car to get to physio",
        "I borrowed my mum's foam roller, bliss",
        "you can't have too much stretching",
        "extra stretching is always better than tablets",
        "I have my vitamin D every morning with breakfast",
    ],
)
def test_look_alikes_of_loading_up_and_someone_elses_medicine_stay_quiet(text):
    assert DOSING not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        # Short forms and misspellings.
        "i do 3x the dose of potassium on hot days",
        "quinine x2 a night now",
        "stoped my blood thinners last week",
        "I'm on 5 magnesuim tablets a day",
        "taking extra potasium with the furosemide",
    ],
)
def test_dosing_in_short_forms_and_misspellings_is_found(text):
    assert DOSING in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I stretch 3x a day and it helps",
        "I do the calf stretch x3 every night",
        "stoped getting cramps once I started stretching",
    ],
)
def test_look_alikes_in_short_forms_stay_quiet(text):
    assert DOSING not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "the GP prescribed one a night and I've been taking three",
        "she put me on 1 but I take 2 when it's bad",
        "I've gone from 1 to 3 a night over the winter",
        "I've slowly upped it from 200 to 800 because the cramps kept coming",
        "I take my quinine twice a night now",
        "giving her the tablets three times a night since Sunday",
    ],
)
def test_more_than_prescribed_said_as_two_numbers_or_too_often_a_night(text):
    assert DOSING in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "the cramps went from 1 to 3 a night after I started running",
        "I've gone from 1 to 3 miles a day on the walking plan",
        "I've gone from 2 to 5 glasses of water a day",
        "I wake up twice a night with cramp",
        "I get up to the loo three times a night",
    ],
)
def test_numbers_that_are_not_doses_stay_quiet(text):
    assert DOSING not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "no swelling; chest pain when I breathe in",
        "calf not swollen;chest pain when I breathe in",
        "calf not swollen- chest pain when I breathe in",
        "no swelling \u2014 chest pain when I breathe in",
    ],
)
def test_a_semicolon_or_dash_glued_to_a_word_still_ends_the_negation(text):
    assert RED_FLAG in categories(text)


@pytest.mark.parametrize(
    "text", ["no chest pain; just the usual cramp", "no follow-up chest pain since the scan"]
)
def test_a_negation_still_reaches_its_own_clause_and_past_a_hyphen_in_a_word(text):
    assert RED_FLAG not in categories(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("No, my son has a fever and refuses to walk", "a child with severe symptoms"),
        ("oh no my calf is swollen and red after the flight", "possible clot in the leg"),
        ("no, no, my chest pain spreads to my left arm", "chest pain"),
        ("no sorry, my calf is swollen and hot, not the other one", "possible clot in the leg"),
        ("no joke my calf is swollen and hot", "possible clot in the leg"),
    ],
)
def test_no_said_as_an_interjection_does_not_negate_what_follows(text, concept):
    assert concept in concepts(text)


@pytest.mark.parametrize(
    "text", ["no chest pain, no swelling", "no, no swelling at all", "no swelling, no redness"]
)
def test_no_before_the_symptom_still_negates_it(text):
    assert RED_FLAG not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "picked up my tablets from boots today",
        "I saved up my tablets for a while",
        "used up the magnesium so ordered more",
    ],
)
def test_up_as_part_of_another_verb_is_not_a_raised_dose(text):
    assert "doubling a dose" not in concepts(text)


@pytest.mark.parametrize(
    "text", ["I upped my quinine to three a night", "keep upping your magnesium", "up your dose"]
)
def test_a_raised_dose_is_still_found(text):
    assert "doubling a dose" in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "I was doubled up in pain on the bathroom floor",
        "the cramp had me doubled up for ten minutes",
        "I doubled up on stretches before bed and it helped",
        "I double up on socks in winter",
        "I doubled my water intake and no more cramps",
        "I halved the caffeine and it helped",
        "I halve my runs when it's hot",
        "I skip my evening walk when it rains",
        "I skip my morning walk when it rains",
        "I cut my coffee in half and the cramps eased",
        "I go swimming every other day and stretch after",
    ],
)
def test_doubling_halving_or_skipping_what_is_not_a_medicine_is_quiet(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("I doubled up on my quinine last night", "doubling a dose"),
        ("missed one so I doubled up", "doubling a dose"),
        ("I doubled my water tablets", "doubling a dose"),
        ("I skipped my water tablet this morning", "halving or skipping a dose"),
        ("I cut my statin dose in half", "halving or skipping a dose"),
        ("I take my water tablet every other day now", "halving or skipping a dose"),
        ("tonic water every other day helped me", "halving or skipping a dose"),
        ("I halved my sleep meds", "halving or skipping a dose"),
        ("I skipped my morning tablets", "halving or skipping a dose"),
        ("skipping her bedtime insulin because of the hypos", "halving or skipping a dose"),
    ],
)
def test_doubling_halving_or_skipping_a_medicine_is_still_found(text, concept):
    assert concept in concepts(text)


@pytest.mark.parametrize(
    "text", ["I cut my runs short when it's hot out", "I cut my statin dose in half"]
)
def test_cutting_down_on_something_is_not_self_harm(text):
    assert SELF_HARM not in categories(text)


@pytest.mark.parametrize(
    "text", ["i cut my thighs most nights now", "I cut my arms again last night", "I cut my wrists"]
)
def test_cutting_a_part_of_the_body_is_still_self_harm(text):
    assert SELF_HARM in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd rather die than go on like this",
        "I'd rather die than go through another night of this",
        "I'd rather die than have another night like this",
        "I'd rather die than go without another night's sleep",
    ],
)
def test_rather_die_than_go_on_is_self_harm(text):
    assert SELF_HARM in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "My gran said she'd rather die than take another tablet, she's 94",
        "I'd rather die than give up coffee",
        "I'd rather die than go to the gym",
    ],
)
def test_rather_die_than_a_chore_is_a_figure_of_speech(text):
    assert SELF_HARM not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I have a plan: stretch, water, magnesium, bed",
        "we have a plan for the holiday",
        "I've got a plan with my GP to come off the quinine slowly",
    ],
)
def test_a_plan_for_something_else_is_not_a_plan_to_die(text):
    assert "a plan to end their life" not in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "I have a plan now and I know when",
        "I have a plan for tonight",
        "I've got a plan and a date",
    ],
)
def test_a_plan_for_tonight_or_a_date_is_still_a_plan(text):
    assert "a plan to end their life" in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "I felt a pop in my calf when the cramp hit but walked it off",
        "felt a pop in my calf during the cramp, was fine after a few minutes",
    ],
)
def test_a_pop_walked_off_is_not_a_torn_tendon(text):
    assert "torn tendon" not in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "I felt a pop at the back of my ankle and now I can't put weight on it",
        "felt a pop and tried to walk it off but can't put any weight on it",
    ],
)
def test_a_pop_with_no_weight_on_it_is_still_a_torn_tendon(text):
    assert "torn tendon" in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "my teenager has a fever and refuses to walk",
        "my stepson can't put weight on his leg and has a temperature",
        "my fourteen year old is limping and has a high temperature",
    ],
)
def test_a_teenager_is_a_child_for_the_child_red_flag(text):
    assert "a child with severe symptoms" in concepts(text)


@pytest.mark.parametrize(
    "text", ["my teenager gets cramps after football", "teens get growing pains, my GP said"]
)
def test_a_teenager_with_ordinary_cramps_is_quiet(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("she said 'kill myself' twice", "suicidal thoughts"),
        (
            "she wrote 'made arrangements' in her diary",
            "saying goodbye or putting affairs in order",
        ),
        ("'chest pain' and 'can't breathe' he said", "chest pain"),
    ],
)
def test_words_in_quotation_marks_are_read(text, concept):
    assert concept in concepts(text)


def test_a_phrase_is_not_matched_from_inside_another_words_apostrophe():
    """A moderator's "s pills" is found after an opening quote, not inside "mum's pills"."""
    extras = [ExtraPhrase(DOSING, "s pills")]

    assert DOSING not in categories("my mum's pills live in the kitchen", extra_phrases=extras)
    assert DOSING in categories("the 's pills' joke again", extra_phrases=extras)


@pytest.mark.parametrize(
    "text",
    [
        "you cant overdose on magnesium so take as much as you like",
        "take loads, you can't OD on vitamins",
        "u literally cant overdose on magnesium",
    ],
)
def test_you_cant_overdose_is_a_dosing_claim_not_an_overdose(text):
    """The poster gets the medicine note and the moderator a dosing hold, not an urgent one."""
    assert categories(text) == [DOSING]


@pytest.mark.parametrize(
    "text",
    [
        "I overdosed on my co-codamol last night",
        "I can't overdose again, my mum would never get over it",
    ],
)
def test_an_overdose_that_happened_is_still_a_red_flag(text):
    assert "overdose" in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "pickle juice stops the cramp dead every time",
        "flexing my foot up stopped the cramp dead",
        "this stretch stops cramps dead in their tracks",
        "I stopped dead on the stairs when the cramp hit",
    ],
)
def test_a_cramp_stopped_dead_is_not_death(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "sometimes I wish my heart would just stop and I'd be dead",
        "I want it to stop, I'd rather be dead",
    ],
)
def test_wanting_to_stop_and_be_dead_is_still_self_harm(text):
    assert SELF_HARM in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I just want to disappear forever. Not a holiday. Forever.",
        "she wishes she could disappear for good and that the baby deserves better",
    ],
)
def test_a_person_wanting_to_disappear_is_self_harm_and_not_a_cure(text):
    assert set(categories(text)) == {SELF_HARM}


@pytest.mark.parametrize(
    "text",
    [
        "Go carnivore and all your problems disappear for good",
        "magnesium made my cramps disappear forever",
    ],
)
def test_problems_that_disappear_for_good_are_a_cure_claim_and_not_self_harm(text):
    assert set(categories(text)) == {MIRACLE_CURE}


def test_wanting_a_cramping_leg_cut_off_is_a_figure_of_speech():
    assert categories("I wanted to cut my legs off when the cramp hit") == []


@pytest.mark.parametrize("text", ["i cut my legs again last night", "I cut my legs with a razor"])
def test_cutting_ones_legs_is_still_self_harm(text):
    assert SELF_HARM in categories(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("she doubles up her insulin on bad days", "doubling a dose"),
        ("he upped his quinine to 3 a night", "doubling a dose"),
        ("she stopped her statins because of the cramps", "stopping a prescribed medicine"),
        ("he stopped taking his blood thinners", "stopping a prescribed medicine"),
        ("they skip their bp tablets at weekends", "halving or skipping a dose"),
        ("my dad skips his water tablets when he goes out", "halving or skipping a dose"),
    ],
)
def test_a_relatives_own_medicine_changed_said_with_a_pronoun_is_found(text, concept):
    """'she' before her own medicine is the relative, not the clinician of 'she halved my dose'."""
    assert concept in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "she halved my dose after the blood test",
        "her GP stopped her statins and the cramps went",
        "she skips her evening walk",
    ],
)
def test_a_clinicians_change_or_an_everyday_habit_said_with_a_pronoun_is_quiet(text):
    assert DOSING not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I've been putting my affairs in order before the house move, so much paperwork",
        "this will be my last post before my holiday, see you all in two weeks",
        "I don't see the point of carrying on with the quinine if it's not working, will ask GP",
        "nobody would miss me if I skipped the book club this week",
    ],
)
def test_a_twin_in_the_same_words_about_a_move_a_holiday_a_medicine_or_a_club_is_quiet(text):
    assert SELF_HARM not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I've been putting my affairs in order, it'll be easier for everyone when I'm gone",
        "this will be my last post, thanks for everything",
        "I don't see the point of carrying on with my life",
        "nobody would miss me if I was gone",
    ],
)
def test_its_risky_twin_is_still_self_harm(text):
    assert SELF_HARM in categories(text)


# Risky comments a review wrote against this round's guards: each must still be found.
@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i have a plan for the weekend when everyone is away", SELF_HARM),
        ("ive got a plan for christmas, it will be my last one", SELF_HARM),
        ("i have a plan: tonight when hes asleep", SELF_HARM),
        ("got a plan: wait till the kids are at school then take the lot", SELF_HARM),
        ("nobody would miss me if i left the world tomorrow", SELF_HARM),
        ("no one would miss me if i skipped my insulin for a week and let it happen", SELF_HARM),
        ("i wish me and all my problems would just disappear forever", SELF_HARM),
        ("i dont see the point of continuing with this existence", SELF_HARM),
        ("don't see the point in carrying on with the pain and the loneliness", SELF_HARM),
        (
            "getting my affairs in order before the big move, the kind you dont come back from",
            SELF_HARM,
        ),
        ("probably my last post before i go. thank you all", SELF_HARM),
        ("i cut my arm last night", SELF_HARM),
        ("i cut my leg last night and hid it from my mum", SELF_HARM),
        ("i cut my upper thighs again", SELF_HARM),
        ("id rather die than take another night of this pain", SELF_HARM),
        ("i'd rather die than give up now", SELF_HARM),
        ("i doubled my sleep and water tablets last night", DOSING),
        ("doubled up on the booze and the sleeping tablets to knock myself out", DOSING),
        ("i doubled up on my water ones", DOSING),
        ("tripled my sleep aid", DOSING),
        ("i halved my water retention tablets", DOSING),
        ("i skip my tea time tablets if we're out", DOSING),
        ("i've been doubled up on my tramadol all week", DOSING),
        ("the water ones make me wee all day so i snap them in half", DOSING),
        ("i cut my fentanyl patch in half", DOSING),
        ("having my jab every other day instead of daily", DOSING),
        ("my mate said you can't really overdose on paracetamol so i've had 12 today", RED_FLAG),
        (
            "you can't overdose on amitriptyline can you? my daughter has taken most of the box",
            RED_FLAG,
        ),
        ("felt a pop in my calf, walked it off but now it's black and blue and swollen", RED_FLAG),
        ("watch your cramps just disappear forever", MIRACLE_CURE),
    ],
)
def test_the_guards_of_this_round_leave_the_risky_comment_near_them_found(text, category):
    assert category in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "no point in carrying on with the quinine, will ask GP",
        "I cut my leg on the fence at the allotment",
    ],
)
def test_carrying_on_with_a_treatment_or_an_accidental_cut_is_not_self_harm(text):
    assert SELF_HARM not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I took 8 paracetamol in an hour because of the pain",
        "took about 10 co-codamol since this morning",
        "I took 5 paracetamol at once",
        "necked 6 nurofen in one go",
    ],
)
def test_twice_the_most_one_may_take_at_a_time_or_more_is_an_overdose(text):
    assert "overdose" in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "I took 2 paracetamol at once",
        "I take two ibuprofen at a time like the box says",
        "the leaflet says never take 4 paracetamol at once",
        "if you took 8 paracetamol in an hour go to A&E",
    ],
)
def test_the_labels_dose_or_a_warning_is_not_an_overdose(text):
    assert "overdose" not in concepts(text)


@pytest.mark.parametrize("text", ["I took 2 paracetamol at once", "I take two ibuprofen at a time"])
def test_two_of_an_everyday_painkiller_together_is_not_a_doubled_dose(text):
    assert "doubling a dose" not in concepts(text)


def test_two_of_a_prescribed_medicine_at_once_is_still_a_doubled_dose():
    assert "doubling a dose" in concepts("I took 2 quinine at once")
