"""Event type: ACLED's event and sub-event type from an incident's triggers and actors."""

from __future__ import annotations

import re
from collections.abc import Sequence

from harmledger.model import ActorValue
from harmledger.pipeline.assemble.common import ARMED, TriggerMention
from harmledger.pipeline.trigger_lexicon import load_lexicon

#: Trigger classes grouped by what they say happened (ACLED's codebook asks who acted on whom
#: with what; these are the "with what" and "what").
REMOTE = ("chemical", "suicide", "air", "ied", "grenade", "shelling")
DEMO = ("protest", "protest_weak", "excessive_force", "protest_intervention")
_CROWD_FORCE = ("protest_intervention", "sound_bomb", "arrest")
_HARM = ("attack", "assault", "shooting", "killing", "injury")
#: Classes that name an act of conflict even next to words of an accident, disaster, court or
#: sport ("a suicide bomber blew himself up at a football stadium").
_CONFLICT = (
    *DEMO,
    *("sexual", "suicide", "air", "chemical", "battle", "abduction", "attack"),
    *("grenade", "riot", "mob", "regain", "territory"),
)


def no_conflict(classes: set[str | None]) -> bool:
    """Do a sentence's live trigger classes tell deaths with no act of conflict ("the death
    toll from the virus rose to 2,000", "he died of liver cancer in custody")?"""
    return "nonconflict" in classes and not any(c in classes for c in _CONFLICT)


def decide_event_type(
    triggers: Sequence[TriggerMention],
    actor1: ActorValue | None,
    victims_armed: bool,
    *,
    harmed: bool = False,
    crowd_violence: bool = False,
    forces_injured: bool = False,
    mob: bool = False,
    protesters_harmed: bool = False,
    remote_means: bool = False,
    riot_cause: bool = True,
    ambushed_civilians: bool = False,
) -> tuple[str | None, str | None]:
    """ACLED event type and sub-event type for an incident's triggers and actors.

    ``harmed``: people were killed or injured (a count or a harm word); ``crowd_violence``:
    the crowd itself attacked, stormed, burned or clashed (not the forces facing it);
    ``forces_injured``: the people counted as injured are police or soldiers; ``mob``: a
    crowd of civilians (villagers, residents, supporters) did the violence itself;
    ``protesters_harmed``: the people killed or injured were protesters; ``remote_means``: a
    remote weapon is told as the means of the attack ("ambushed the convoy with a landmine");
    ``riot_cause``: a riot's words tell a cause or a demand, or state forces face the
    rioters (without either, and with no protest word, rioters are a mob);
    ``ambushed_civilians``: the only fight is an ambush, and its victims are civilians
    ("gunmen ambushed a passenger vehicle, killing three people"): one side's attack.
    The cascade follows ACLED's codebook: a coder's label wins; then remnants of war and
    disrupted weapons (no one used them); then demonstrations (rioters or protesters act
    first, so they decide between Riots and Protests); then the weapon that did the harm
    (remote violence), unless the report describes a ground fight; then who was harmed.
    """
    lex = load_lexicon()
    live = [t for t in triggers if t.value.live]
    if not live:
        return None, None
    classes: dict[str | None, TriggerMention] = {}
    for t in live:
        classes.setdefault(t.value.cls, t)

    def typed(c: str) -> tuple[str | None, str | None]:
        tv = classes[c].value
        return tv.event_type, tv.sub_event_type

    has = classes.__contains__
    if has("label"):
        return typed("label")  # "Property destruction: On 3 May ..." is the coder's own call
    if has("nonconflict") and not any(has(c) for c in _CONFLICT):
        # a crash, flood, court sentence or match: deaths or "artillery" with no act of
        # conflict named
        return None, None
    if has("sexual"):
        return typed("sexual")
    if has("remnant"):
        if harmed and actor1 is not None and actor1.category in ARMED:
            # a device an armed group left behind ("an IS remnant IED exploded, killing a
            # farmer") is that group's explosion; a remnant of past wars is no one's act
            return "Explosions/Remote violence", "Remote explosive/landmine/IED"
        return typed("remnant")  # explosive remnants of war found or cleared
    if has("grave"):
        return typed("grave")  # a mass grave found: the killing was long before
    remote = [c for c in REMOTE if has(c)]
    if has("disrupted") and not harmed and not has("air"):
        # "defused an IED", "seized rockets": the weapon never hit; but "airstrikes targeted
        # weapons caches" is the strike
        return typed("disrupted")
    demo = any(has(c) for c in DEMO)
    battle = has("battle")
    state = actor1 is not None and actor1.category == "State Forces"
    if protesters_harmed and state and not demo and not remote and not has("riot"):
        # "security forces shot dead five protesters": ACLED codes the demonstration that
        # the forces met with lethal force
        return "Protests", "Excessive force against protesters"
    if demo or has("riot"):
        if has("riot") or (demo and (crowd_violence or battle)):
            if not (demo or riot_cause or _DEMONSTRATING.search(classes["riot"].text)):
                # rioters, stones, petrol bombs with no demonstration, cause or forces
                # facing them: a mob's violence ("settlers hurled stones at passing cars")
                return "Riots", "Mob violence"
            # the crowd's own violence makes it a riot, whatever the forces did in return
            return "Riots", "Violent demonstration"
        heavy = [c for c in remote if c not in ("grenade",)]
        if demo and forces_injured and not heavy:
            # "a police officer was injured during the demonstration": the crowd hurt them
            return "Riots", "Violent demonstration"
        if demo and not heavy:
            if has("excessive_force") or (
                not victims_armed and (harmed or has("shooting") or has("grenade"))
            ):
                return "Protests", "Excessive force against protesters"
            if any(has(c) for c in _CROWD_FORCE):
                return "Protests", "Protest with intervention"
            if has("protest") or has("protest_weak") or not (battle or remote):
                return "Protests", "Peaceful protest"
    if has("mob"):
        return typed("mob")
    if mob and not remote:
        # civilians beating, burning or clashing with no demonstration: mob violence
        return "Riots", "Mob violence"
    if has("regain") or has("territory"):
        # a change of control is the event, whatever fighting or shelling won it; "retook",
        # "liberated" is the government's word, unless a non-state group is the doer
        state = actor1 is not None and actor1.category == "State Forces"
        armed_other = actor1 is not None and actor1.category in ARMED and not state
        if has("regain") and not armed_other:
            return "Battles", "Government regains territory"
        return "Battles", "Non-state actor overtakes territory"
    if remote and (not battle or remote_means):
        # "ambushed the military with a landmine": the weapon, not a fight, did it
        best = min(remote, key=lambda c: lex.precedence.get(c, 99))
        if best == "air" and _bombed_by_ground_group(classes["air"], actor1):
            # "the Pauk PDF bombed the house of an informant": a group with no aircraft
            # sets off a bomb (ACLED: remote explosive), it strikes from no air
            return "Explosions/Remote violence", "Remote explosive/landmine/IED"
        return typed(best)
    if battle and ambushed_civilians and harmed:
        # an ambush of travellers or villagers is no fight: no armed side met it (ACLED
        # codes it as an attack on civilians)
        return "Violence against civilians", "Attack"
    if battle:
        return typed("battle")  # clashes, also with mortars or an IED: the fight is the event
    harm = [c for c in _HARM if has(c)]
    if (
        victims_armed
        and harm
        and (any(c in ("killing", "injury") for c in harm) or (actor1 and actor1.category in ARMED))
    ):
        # armed men harmed by armed men: a battle, even when arrests or seizures followed
        return "Battles", "Armed clash"
    if has("abduction"):
        return typed("abduction")
    if has("attack") or has("torture") or (harmed and harm):
        return "Violence against civilians", "Attack"
    if has("arrest"):
        if actor1 is not None and actor1.category in ARMED - {"State Forces"}:
            # a non-state group "detaining" people is an abduction (ACLED codebook)
            return "Violence against civilians", "Abduction/forced disappearance"
        return typed("arrest")
    for c in ("disrupted", "looting", "sound_bomb", "discovery", "hq", "transfer", "agreement"):
        if has(c):
            return typed(c)
    if harm:
        if victims_armed:
            return "Battles", "Armed clash"
        return "Violence against civilians", "Attack"
    if has("group_change"):
        return typed("group_change")
    if has("change"):
        return typed("change")
    if has("disappearance"):
        return "Violence against civilians", "Abduction/forced disappearance"
    if has("torture"):
        return typed("torture")
    if has("crowd"):
        return typed("crowd")
    return None, None


#: A riot word that itself tells a demonstration ("violent protests", "the demonstration
#: turned violent" is told by its protest word).
_DEMONSTRATING = re.compile(r"demonstrat|protest", re.IGNORECASE)

#: Named non-state groups: unlike states, they have no aircraft to bomb with (a drone
#: named as such is an air/drone strike by its own words, not by "bombed"); an unnamed doer
#: ("Unidentified Military Forces") may be a state's air force.
_GROUND = frozenset({"Rebel Groups", "Political Militias", "Identity Militias", "Rioters"})


def _bombed_by_ground_group(trigger: TriggerMention, actor1: ActorValue | None) -> bool:
    """Is the air trigger only the verb "bombed" (no aircraft, no air word) and the doer a
    group that has no air force?"""
    return trigger.text.lower() == "bombed" and actor1 is not None and actor1.category in _GROUND
