"""Typed questions measured on messages written by native-level writers who never saw the rules.

``tests/data/typed/<lang>/`` holds ninety-eight sets per language, each written independently:

- ``dev.yaml`` and ``heldout1.yaml`` to ``heldout6.yaml``: the words and rules were tuned on them
  (each held-out set only after its first, untuned measurements), and the examples of the danger
  and topic models (``content/<lang>/examples.yaml``) come from them. The issue's targets hold on
  them: danger ≥ 95% opens the right urgent screen, everyday ≥ 85% gets a right answer among its
  buttons, no false alarm.
- ``train.yaml`` and ``train2.yaml`` (120 and 150 of each kind, many near misses): tuned on and
  used as examples, but a false alarm or two remain: their figures are floors.
- ``train3a.yaml`` and ``train3b.yaml`` (150 of each kind, a third near misses, two groups of
  writers): measured once, then used as examples; words tuned only on their false alarms: floors.
- ``train4.yaml`` (150 of each kind, a third near misses, 15 very short alarming-sounding everyday
  messages) and ``train5.yaml`` (100 danger, 150 everyday of which two thirds near misses):
  measured once, then tuned on (seventh and eighth passes) and used as examples: floors.
- ``heldout7.yaml``: written fresh with train4, measured twice unopened, then opened for the
  eighth pass and used as examples; two false alarms or fewer remain: floors.
- ``train6.yaml`` (100 danger, 150 everyday, half near misses) and ``heldout8.yaml`` (written fresh
  with train5, measured three times unopened in session 6): tuned on in the ninth pass (session 7)
  and used as examples: floors.
- ``heldout9.yaml``: written fresh with train6 (session 7), measured five times unopened, then
  opened with ``train7.yaml`` (100 danger, 150 everyday, half near misses, session 8) for the
  eleventh pass and used as examples: floors.
- ``heldout10.yaml``: written fresh with train7 (session 8), measured twice unopened, then opened
  with ``train8.yaml`` (100 danger, 150 everyday, half near misses, mostly men writing) for the
  twelfth pass and used as examples: floors.
- ``heldout11.yaml``: written fresh with train8 (session 8; mostly women and relatives writing),
  measured twice unopened, then opened with ``train9.yaml`` (100 danger, 150 everyday, half near
  misses, child labour and its near misses; session 9) for the thirteenth pass and used as
  examples: floors.
- ``heldout12.yaml``: written fresh with train9 (session 9), measured twice unopened, then opened
  with ``train10.yaml`` (100 danger, 150 everyday, half near misses; danger mixing two problems,
  very short messages; harm that is over, violent idioms, the law asked in general) for the
  fourteenth pass and used as examples: floors.
- ``heldout13.yaml``: written fresh with train10 (session 9), measured twice unopened, then opened
  with ``train11.yaml`` (100 danger, 150 everyday, half near misses; relatives writing about
  someone far away, two dangers in one message marked with both kinds) for the fifteenth pass and
  used as examples: floors.
- ``heldout14.yaml``: written fresh with train11 (session 9; a message telling two dangers may
  carry both kinds), measured twice unopened, then opened with ``train12.yaml`` (100 danger, 150
  everyday, half near misses; session 10) for the sixteenth pass and used as examples: floors.
- ``heldout15.yaml``: written fresh with train12 (session 10), measured three times unopened, then
  opened with ``train13.yaml`` (100 danger, 150 everyday, half near misses; mostly young men, short
  or panicked messages; session 10) for the seventeenth pass and used as examples: floors.
- ``heldout16.yaml``: written fresh with train13 (session 10; mostly women and relatives at home),
  measured twice unopened, then opened with ``train14.yaml`` (100 danger, 150 everyday, a third near
  misses; broken Russian, Latin Kyrgyz, relatives writing, Latin Uzbek without apostrophes; session
  11) for the eighteenth pass and used as examples: floors.
- ``heldout17.yaml``: written fresh after the seventeenth pass (session 10; writers of every kind),
  measured three times unopened, then opened with ``train15.yaml`` (100 danger, 150 everyday, a
  third near misses; dark humour, Kazakh in the Latin of 2021, older Uzbek parents; session 11)
  for the nineteenth pass and used as examples: floors.
- ``heldout18.yaml``: written fresh with train14 (session 11; older men, young women in Kyrgyz
  Cyrillic without special letters, southern Kazakh half in Latin, village Uzbek in old Cyrillic),
  measured three times unopened, then opened with ``train16.yaml`` (100 danger, 150 everyday, half
  near misses; young Russian slang, Kyrgyz domestic workers, Kazakh farm hands partly in the Latin
  of 2021, Uzbek traders in Latin without apostrophes; session 12) for the twentieth pass and used
  as examples: floors.
- ``heldout19.yaml``: written fresh with train15 (session 11; women writing for relatives, young
  Kyrgyz men mixing scripts, literary Kazakh, Samarkand Uzbek), measured three times unopened,
  then opened with ``train17.yaml`` (100 danger, 150 everyday, half near misses; blunt Russian of
  builders and drivers, young Kyrgyz in Latin, Kazakh drivers and cooks, Uzbek fathers and sons;
  session 12) for the twenty-first pass and used as examples: floors.
- ``heldout20.yaml``: written fresh with train16 (session 12; older writers and relatives, southern
  Kyrgyz in Latin, Kazakh-speaking families from Uzbekistan, Uzbek half in Cyrillic from Khorezm and
  the Fergana valley), measured three times unopened, then opened with ``train18.yaml`` (100 danger,
  150 everyday, half near misses: pasts told with today's words, the law asked in general, "what
  if", farewells that are no suicide; session 13) for the twenty-second pass and used as examples:
  floors.
- ``heldout21.yaml``: written fresh with train17 (session 12; the oil and building camps of the
  west, Kyrgyz from Naryn, Talas and Issyk-Kul, Kazakh as a second language, Uzbek women in
  domestic work), measured three times unopened, then opened with ``train19.yaml`` (100 danger, 150
  everyday, half near misses; half the danger very short, half oblique; session 13) for the
  twenty-third pass and used as examples: floors.
- ``heldout22.yaml``: written fresh with train18 (session 13; many very short messages typed at
  night), measured three times unopened, then opened with ``train20.yaml`` (100 danger, 150
  everyday, half near misses; half the danger told by someone other than the victim, half hidden in
  a long message about other worries; session 14) for the twenty-fourth pass and used as examples:
  floors.
- ``heldout23.yaml``: written fresh with train19 (session 13), measured three times unopened, then
  opened with ``train21.yaml`` (100 danger, 150 everyday, half near misses; voice-typed run-ons,
  relatives writing, southern Kyrgyz, Kazakh-speaking families from Uzbekistan and Kyrgyzstan, Uzbek
  from Khorezm and Surkhandarya; session 15) for the twenty-fifth pass and used as examples: floors.
- ``heldout24.yaml``: written fresh with train20 (session 14: a natural mix, a third very short, a
  third told by the acts, one fire each), measured three times unopened, then opened with
  ``train22.yaml`` (100 danger, 150 everyday, half near misses; Russian as a second language,
  southern Kyrgyz, Kazakhs writing for migrants they see and Kazakh-speaking qandas, Uzbek from the
  Fergana valley and Kashkadarya; in Uzbek a second writer's 100 + 150 from Khorezm, Surkhandarya,
  Jizzakh and Syrdarya: 200 + 300; session 16) for the twenty-sixth pass and used as examples: floors.
- ``heldout25.yaml`` (written with train21, session 15: women in services, Kyrgyz from the north
  mixing Russian, Kazakh without special letters, Uzbek a third in Cyrillic; a third very short):
  measured unopened in sessions 15 and 16, then opened with ``train23.yaml`` (100 danger, 150
  everyday, half near misses; a social worker writing as many migrants in Russian, a nurse from
  Naryn and her village, an older Kazakh woman of Turkestan region helping neighbours, a woman from
  Andijan in a greenhouse and her relatives, a quarter in Cyrillic; session 17) for the
  twenty-seventh pass and used as examples: floors. Its IIN questions, which the writers' brief put
  under registration, were relabelled [registration, work] by a script that printed nothing (the
  bot answers the IIN under work; session 15).
- ``heldout26.yaml`` (written with train22, session 16: men of 40-50 who learned Russian at school
  and their teenage children, Kyrgyz women from Naryn and Issyk-Kul, young southern Kazakh half in
  Latin, Uzbek from Tashkent, Samarkand, Bukhara and Khorezm): measured unopened in sessions 16 and
  17, then opened with ``train24.yaml`` (100 danger, 150 everyday, half near misses; couriers and
  warehouse pickers writing Russian as a second language, seasonal farm workers from Batken and
  Talas, Kazakh qandas from Karakalpakstan and Kyrgyzstan in the west, builders from Namangan and
  Fergana a quarter in Cyrillic; session 18) for the twenty-eighth pass and used as examples: floors.
- ``heldout27.yaml`` (written with train23, session 17: a former migrant from Osh driving a taxi in
  Astana and his friends, a young southern Kyrgyz at a car wash in Shymkent, a student volunteer in
  Almaty writing Kazakh with much Russian and some Latin, a brigadier from Samarkand and Khorezm and
  his family): measured unopened in sessions 17 and 18, then opened with ``train26.yaml`` (150
  danger, 100 everyday, half near misses; truck drivers and loaders of Almaty and Shymkent writing
  Russian as a second language and their mothers, young women from Osh and Jalal-Abad in garment
  workshops and their fathers, Kazakh-speaking helpers and Uzbeks and Kyrgyz who learned Kazakh,
  Uzbek men from Samarkand, Bukhara and Kashkadarya in greenhouses and car washes; session 19) for
  the thirtieth pass and used as examples: floors.
- ``heldout28.yaml`` (written with train24, session 18: older women traders at the
  Almaty bazaars, a Karakalpak at a meat plant and a nephew writing for his uncle; Kyrgyz students
  in Almaty and an older uncle from Kochkor; Kazakh-speaking Uzbeks and Kyrgyz of the border and a
  retired teacher in Taraz; Uzbek women from Khorezm and Karakalpakstan in domestic work, mostly in
  Cyrillic): measured unopened in sessions 18 and 19, then opened with ``train27.yaml`` (below) for
  the thirty-second pass and used as examples: floors.
- ``heldout29.yaml`` (written with train26, session 19, 50 danger and 60 everyday, a
  half near misses, four remarks that ask nothing: young cafe, kitchen and hotel workers in Astana;
  Kyrgyz builders from Naryn and Issyk-Kul and their wives; teenagers of migrant families in
  Shymkent, Talas Kyrgyz near Taraz and a teacher; Uzbek women from Andijan and Namangan, cleaners
  and seamstresses, half in Cyrillic): measured unopened in sessions 19 and 20, then opened with
  ``train28.yaml`` (below) for the thirty-fourth pass and used as examples: floors.
- ``train25.yaml`` (100 danger, 150 everyday, half near misses; session 18): four new writers given
  only the descriptions of heldout28's writers (never the set), tuned on in the twenty-ninth pass and
  used as examples: floors.
- ``train27.yaml`` (150 danger, 100 everyday, half near misses; session 20: market traders,
  couriers and local helpers; Osh and Jalal-Abad seamstresses and mothers at home; Shymkent and
  Turkestan teenagers in chat shorthand; Samarkand, Bukhara and Khorezm workers, a quarter in
  Cyrillic) and ``heldout30.yaml`` (50 danger, 60 everyday, written with it: Astana cleaners,
  warehouse pickers and a nurse; Talas shepherds, Bishkek students and Batken builders; Almaty
  region helpers and border Kyrgyz writing Kazakh; Kashkadarya and Surkhandarya farm workers and
  their wives). First looks: the hardest writers yet. train27 was tuned on in the thirty-second
  pass and used as examples (floors); heldout30 was measured unopened in sessions 20 and 21, then
  opened with ``train29.yaml`` (below) for the thirty-sixth pass and used as examples: floors. The
  floors below are today's figures, so this test catches a regression; raise them as the words and
  examples improve, never by reading the sets.
- ``train28.yaml`` (150 danger, 100 everyday, half near misses; session 21: a hotel cleaner, a
  Barakholka loader, a courier and a church volunteer; Batken farm hands, Naryn builders and a
  Talas mother; a Shymkent landlady, a foreman and a qandas; Namangan builders, a Khorezm
  greenhouse worker and an Andijan father, a third in Cyrillic) and ``heldout31.yaml`` (50 danger,
  60 everyday, written with it: a trucker's wife, a Taraz dishwasher, a Karakalpak builder in Aktau;
  an Issyk-Kul laundress, a Kara-Suu car washer and a welder near Atyrau; a Kyzylorda grandmother,
  a market guard and an aul shepherd's wife; a Surkhandarya brigade cook, a Fergana courier and a
  Kokand barber). First looks: heldout31 danger right ru 86, ky 94, kk 94, uz 92%. train28 was
  tuned on in the thirty-fourth pass and used as examples (floors); heldout31 was measured
  unopened in sessions 21 and 22, then tuned on in the thirty-eighth pass (session 23) and used as
  examples (floors).
- ``train29.yaml`` (150 danger, 100 everyday, half near misses; session 22: women in services in
  Almaty and Astana, their mothers at home and oil-field men in Mangystau; Osh and Batken builders,
  Almaty seamstresses and Kyrgyz students; ethnic Kazakhs and Karakalpaks from Uzbekistan in
  Shymkent and Kyzylorda, local neighbours and a village teacher; Fergana builders, Khorezm
  greenhouse women and Samarkand drivers, a third in Cyrillic) and ``heldout32.yaml`` (50 danger,
  60 everyday, written with it: bazaar porters, seasonal farm hands, a teenager typing for parents
  and a landlady; couriers and taxi drivers, Naryn shepherds and a salon worker; Kazakh student
  volunteers, qandas farm hands from Mongolia, a nurse and a taxi driver, Kyrgyz and Uzbek workers
  writing Kazakh; Surkhandarya meat-plant workers, market women in Cyrillic, a Tashkent student
  and a Karakalpak-region worker). First looks: heldout32 danger right ru 90, ky 94, kk 84, uz 84%.
  train29 was tuned on in the thirty-sixth pass and used as examples (floors); heldout32 was
  measured unopened in sessions 22 and 23, then tuned on in the fortieth pass (session 24) and used
  as examples (floors).
- ``train30.yaml`` (150 danger, 100 everyday, half near misses; session 23: a Barakholka trader, a
  Shymkent loader, a Turkestan brickmaker, a landlady and an Aktobe nurse; Osh, Jalal-Abad, Naryn
  and Talas builders, cleaners, drivers and a shepherd boy's mother; qandas workers in Turkestan
  and Mangystau, Shymkent seamstresses and a long-haul driver; Fergana, Andijan, Khorezm and
  Surkhandarya plasterers, bakers and hotel cleaners, a fifth in Cyrillic) and ``heldout33.yaml``
  (50 danger, 60 everyday, written with it: a greenhouse couple near Taraz, an Astana night
  watchman, a café kitchen girl, a Karaganda shelter worker and an Atyrau crew cook, some in
  translit; an Issyk-Kul father, a live-in nanny, a shepherd near Shu, a seamstress and a Taraz
  warehouse man; a Kyzylorda grandmother, a miner's wife, an Astana odd-job man in the new Latin
  letters, an Uzbek-born trader and a night guard; a Samarkand elder in Cyrillic, a Khorezm woman,
  a Kashkadarya builder, a Tashkent mother and a Karakalpak-born worker). First looks: heldout33
  danger right ru 98, ky 92, kk 94, uz 96%. train30 was tuned on in the thirty-eighth pass and used
  as examples (floors); heldout33 was measured unopened in sessions 23 and 24, then tuned on in the
  forty-second pass (session 25) and used as examples (floors).
- ``train31.yaml`` (150 danger, 100 everyday, half near misses; session 24: a Kostanay market
  seller and her sister, a Pavlodar welder, an Almaty help-chat volunteer, a Semey dispatcher's
  wife, an Osh courier of 19 and a Fergana father; At-Bashy and Kochkor builders, a live-in nanny,
  an Uzgen elder, a Chui greenhouse worker, her brother-in-law in Bishkek and a Karakol call-centre
  girl; a Xinjiang-born seamstress, Kyrgyz and Uzbeks of Saryagash and Zhetysai writing Kazakh, a
  Zhambyl farmer's wife, a police-academy volunteer, an Atyrau employer's son and a Turkestan
  grandmother, in Cyrillic and both Latin alphabets; Chust and Pop builders, a Jizzakh taxi driver,
  Navoi and Bukhara seamstresses, an Urgench dishwasher, a Qarshi father and a Kokand brigadier, a
  third in Cyrillic) and ``heldout34.yaml`` (50 danger, 60 everyday, written with it: a Karaganda
  mine cook, a Namangan builder in Ust-Kamenogorsk in translit, an Osh mother, an Astana market
  seller and a Shymkent hotel cleaner; a Toktogul car washer, an Aravan vegetable seller, a Talas
  student on night shifts, a Kemin mother and a Kara-Balta trucker; a Russian-speaking Pavlodar
  Kazakh, a Zhanaozen oil worker, a Kyzylorda rice foreman, a Karakalpak-born builder in Aktau and
  a Kyrgyz woman near Taraz; an Asaka porter, a Tashkent-region maid, a Bukhara meat-plant worker,
  a Termez elder in Cyrillic and a Samarkand wife). First looks: train31 danger right ru 90, ky
  83, kk 83, uz 91%; heldout34 ru 96, ky 90, kk 88, uz 96%. train31 was tuned on in the fortieth
  pass and used as examples (floors); heldout34 was measured unopened in sessions 24 and 25 (ru 96,
  ky 92, kk 92, uz 98% at its last look), then opened for the forty-fourth pass (session 26) and used
  as examples (floors).
- ``train32.yaml`` (150 danger, 100 everyday, half near misses; session 25: a Jalal-Abad mall
  cleaner, a Namangan foreman in Shymkent writing phonetically and in translit, a Taldykorgan
  landlady, a Kokshetau crisis-centre worker, a Dungan trader at Kordai and an Aktobe courier;
  Batken and Kadamjai women, a Nookat builder, a Jumgal shepherd, a Ton trucker and a Leilek
  student, some in Latin letters; a qandas greenhouse worker from Mongolia, an Oral farmer, a
  Zhezkazgan nurse, a Kentau young man, a Taldykorgan hotline volunteer and an Ekibastuz miner;
  a Marhamat seamstress, an Uychi builder, a Khiva brickmaker in Khorezm speech, a Karakalpak
  elder in Cyrillic, a Shahrisabz melon hand and a Margilan waitress) and ``heldout35.yaml`` (50
  danger, 60 everyday, written with it: a Kyrgyz warehouse student, a Turkestan mother, a Kaskelen
  shop owner and a Karaganda HR assistant; a Kara-Suu trader, a Tash-Kumyr cook, a Bazar-Korgon
  farm hand and an Issyk-Ata sister; a Shu café owner, a Balkhash neighbour, an elder near Semey
  and a qandas depot worker in Arys; a Yangiyer builder, a Denau cleaner, a Kattakurgan mechanic
  and a Zarafshan mother in Cyrillic). First looks: train32 danger right ru 88, ky 86, kk 83, uz
  87%; heldout35 ru 96, ky 92, kk 96, uz 98%. train32 was tuned on in the forty-second pass and
  used as examples (floors); heldout35 was measured unopened in sessions 25 and 26 (ru 96, ky 94,
  kk 98, uz 100% at its last look), then opened for the forty-sixth pass (session 27) and used as
  examples (floors).
- ``train33.yaml`` (150 danger, 100 everyday, half near misses; session 26: an Andijan office
  cleaner in Astana, a Karakol delivery driver in Almaty, a Shymkent volunteer lawyer retelling
  clients' cases and a Surkhandarya builder in Atyrau in broken Russian; a Naryn seamstress, an
  Aravan builder in Latin letters, a Talas herdsman near Taraz and a Kemin café mother; a
  Karakalpak farmhand in Karakalpak Latin, a Taraz shop owner, a Pavlodar social worker and a
  qandas greenhouse worker from Mongolia; a Jizzakh market seller, a Bukhara nanny, a Quva teenager
  at a brick factory and a Termez oil worker in Cyrillic) and ``heldout36.yaml`` (50 danger, 60
  everyday, written with it: a Bishkek nurse cleaning a hotel, a Chirchiq taxi driver in translit,
  an Ust-Kamenogorsk student volunteer and an Uzgen greenhouse worker; a Kochkor car washer, a
  Kara-Kulja baker, a Tokmok farm hand and an At-Bashy student, some in Latin letters; a Zharkent
  neighbour, a qandas from Turkmenistan in Zhanaozen, a Kostanay teacher and an Astana courier; a
  Gulistan laundry worker, an Urgench builder in Khorezm speech, a Chust baker and a Karshi guard in
  Cyrillic). First looks: train33 danger right ru 92, ky 90, kk 89, uz 88%; heldout36 ru 90, ky 98,
  kk 94, uz 94%. train33 was tuned on in the forty-fourth pass and used as examples (floors);
  heldout36 was measured unopened in sessions 26 and 27 (ru 88, ky 98, kk 94, uz 96% at its last
  look), then opened for the forty-eighth pass (session 28) and used as examples (floors).
- ``train34.yaml`` (150 danger, 100 everyday, half near misses; session 27: a Dungan trader at
  Kordai writing for his neighbours, an Almaty NGO volunteer retelling calls in report style, a
  Kara-Suu concrete worker in Astana in verbless broken Russian and a Samarkand vegetable seller in
  Shymkent writing Russian as she hears it; a Batken seamstress in Almaty, an Osh taxi driver in
  Astana, a Chuy student in Karaganda writing for relatives and a Cholpon-Ata grandmother; a local
  Almaty foreman writing about his workers, a Kyzylorda nurse, a qandas from Karakalpakstan with
  Uzbek habits and a Semey help-desk volunteer; a Namangan bricklayer, a Samarkand cook in Astana, a
  Fergana greenhouse worker in Cyrillic and a Khorezm driver in Aktau in Khorezm speech) and
  ``heldout37.yaml`` (50 danger, 60 everyday, written with it: a Kostanay legal-aid lawyer, a
  Karakol mother, an Uzbek warehouse guard and a Taldykorgan landlady; a Jalal-Abad cook in Taraz,
  a Bishkek IT worker writing for relatives, a Nookat bazaar seller and a Balykchy builder; an Oral
  farmer hiring seasonal workers, a Shymkent bus driver, a Mangystau social worker and a qandas
  miner from Mongolia in Zhezkazgan; a Tashkent student, a Navoi welder in Atyrau, an Andijan
  market seller in Cyrillic and a Syrdarya farmhand). First looks: train34 danger right ru 88, ky
  89, kk 89, uz 87%; heldout37 ru 90, ky 96, kk 92, uz 94%. train34 was tuned on in the
  forty-sixth pass and used as examples (floors); heldout37 was measured unopened in sessions 27
  and 28 (ru 96, ky 96, kk 94, uz 94% at its last look), then opened for the fiftieth pass (session
  29) and used as examples (floors).
- ``train35.yaml`` (150 danger, 100 everyday, half near misses; session 28: a Bishkek grandson
  writing for his grandmother's relatives, a Jizzakh hotel maid in Almaty in broken Russian, an
  Astana HR clerk retelling workers' words in report style and an Osh taxi dispatcher in notes of a
  few words; a Naryn shepherd on a Zhambyl farm, a Talas seamstress in Almaty, a Tokmok warehouse
  worker in Astana partly in Latin letters and an Uzgen mother writing about her daughter; a qandas
  baker from Karakalpakstan in Aktau, a Turkistan help-line volunteer retelling calls, a Pavlodar
  foreman and a young qandas builder from Tashkent region in Almaty in ad hoc Latin; a Surkhandarya
  builder, a Bukhara seamstress in Shymkent in Cyrillic, a Nukus truck driver on the Beyneu road and
  a Tashkent-region student in Astana without apostrophes) and ``heldout38.yaml`` (50 danger, 60
  everyday, written with it: a Uyghur loader from Zharkent, a retired Karaganda neighbour, an Uzbek
  nanny in Astana typing by voice and a Kyrgyz mosque volunteer in Shymkent; an At-Bashy driver in
  Shymkent, a Kemin mall cleaner in Astana, a Kara-Balta builder in Aktobe and an Aravan greengrocer
  in Almaty; a qandas rice-farm hand in Kyzylorda region, an Almaty taxi driver, a qandas cook in
  Astana and a Zhanaozen teacher; a Kashkadarya farmhand in Cyrillic, a Fergana office cleaner, a
  Jizzakh welder in Aktau and an Urgench porter in Shymkent). First looks: train35 danger right ru
  77, ky 93, kk 89, uz 89%; heldout38 ru 96, ky 92, kk 94, uz 98%. train35 was tuned on in the
  forty-eighth pass and used as examples (floors); heldout38 is never opened.
- ``train36.yaml`` (150 danger, 100 everyday, half near misses; session 29: a Batken office cleaner
  in Almaty in verbless Russian, a Shymkent social worker retelling clients' cases in report style,
  a young Uzbek courier in Astana in slang, a third in Latin letters, and a Karaganda dormitory
  neighbour writing for migrant families; a Jalal-Abad car-wash worker in Almaty, an Issyk-Kul
  seamstress, a Batken builder in Astana in very short messages and a Bishkek mother relaying her
  children's calls; a Shymkent help-centre volunteer, a qandas greenhouse worker from Bayan-Ölgii, a
  young Talas man writing Kazakh with Kyrgyz forms and a Semey shop assistant; an Andijan builder in
  Latin without apostrophes, a Samarkand housekeeper in Cyrillic, a Khorezm warehouse worker in
  Shymkent and a Namangan mother) and ``heldout39.yaml`` (50 danger, 60 everyday, written with it: a
  bricklayer in Taraz in fragments, an elderly landlady in Ust-Kamenogorsk, a Namangan cook in Almaty
  and a Kyrgyz NGO volunteer retelling calls; a Kochkor farmhand near Taldykorgan, a Karakol waitress
  in Shymkent, a Nookat loader at the Almaty bazaar and a Talas grandfather; a Saryagash builder, a
  Taraz nurse, an Astana student writing for her aunt in the Latin of 2021 and a Kostanay night
  guard; a Fergana vegetable seller, a Karakalpak cleaner from Nukus in Aktau, a Tashkent-region taxi
  driver in Cyrillic and a Kokand nanny in Astana). First looks: train36 danger right ru 87, ky 92,
  kk 90, uz 91%; heldout39 ru 94, ky 96, kk 94, uz 94%. train36 was tuned on in the fiftieth pass
  and used as examples (floors); heldout39 is never opened.
- ``probe13.yaml`` (session 13), ``probe14.yaml`` (session 14: the twenty-fourth pass's words and
  the fire words), ``probe15.yaml`` (session 15: the twenty-fifth pass's words), ``probe16.yaml``
  (session 16: the twenty-sixth pass's words and the gas words), ``probe17.yaml`` (session 17:
  the twenty-seventh pass's words, kidnapping and ransom first), ``probe18.yaml`` (session 18:
  the twenty-eighth pass's words), ``probe19.yaml`` (session 19: the thirtieth pass's words),
  ``probe20.yaml`` (session 20: the thirty-second pass's words), ``probe21.yaml`` (session 21:
  the thirty-fourth pass's words), ``probe22.yaml`` (session 22: the thirty-sixth pass's
  words), ``probe23.yaml`` (session 23: the thirty-eighth pass's words), ``probe24.yaml``
  (session 24: the fortieth pass's words), ``probe25.yaml`` (session 25: the forty-second pass's
  words), ``probe26.yaml`` (session 26: the forty-fourth pass's words), ``probe27.yaml``
  (session 27: the forty-sixth pass's words), ``probe28.yaml`` (session 28: the forty-eighth
  pass's words) and ``probe29.yaml`` (session 29: the fiftieth pass's words): 60 everyday
  messages each, written to fool that session's new danger words by helpers who read them; neither
  held out nor examples (``test_probe_false_alarms_do_not_grow``; as examples they cost three danger
  messages of the held-out sets, session 15).
- ``offtopic3.yaml`` (120 messages that are no question for the bot, many with alarming words:
  farewells before a trip, condolences, boxing, films) and ``offtopic_heldout.yaml``: never
  examples (``test_off_topic_messages_are_not_guessed``).

``python -m bot content evaluate tests/data/typed/*/*.yaml`` prints every figure (``--misses`` the
texts missed: never on heldout38, heldout39, offtopic3 or offtopic_heldout).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.model import Content
from bot.i18n import LANGS
from bot.typed.evaluate import Score, evaluate, load_set

TYPED = Path(__file__).parent / "data" / "typed"
TUNED = ["dev", "heldout1", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6"]
HELD_OUT = ["train", "train2", "train3a", "train3b", "train4", "train5", "train6"]
HELD_OUT += ["heldout7", "heldout8", "heldout9", "train7", "heldout10", "train8", "heldout11"]
HELD_OUT += ["train9", "heldout12", "train10", "heldout13", "train11", "heldout14", "train12", "heldout15"]
HELD_OUT += ["train13", "heldout16", "heldout17", "train14", "heldout18", "train15", "heldout19"]
HELD_OUT += ["train16", "heldout20", "train17", "heldout21", "train18", "heldout22", "train19", "heldout23"]
HELD_OUT += ["train20", "heldout24", "train21", "heldout25"]
HELD_OUT += ["train22", "heldout26", "train23", "heldout27"]
HELD_OUT += ["train24", "heldout28", "train25"]
HELD_OUT += ["train26", "heldout29"]
HELD_OUT += ["train27", "heldout30"]
HELD_OUT += ["train28", "heldout31"]
HELD_OUT += ["train29", "heldout32"]
HELD_OUT += ["train30", "heldout33"]
HELD_OUT += ["train31", "heldout34"]
HELD_OUT += ["train32", "heldout35"]
HELD_OUT += ["train33", "heldout36"]
HELD_OUT += ["train34", "heldout37"]
HELD_OUT += ["train35", "heldout38"]
HELD_OUT += ["train36", "heldout39"]
DANGER_TARGET = 0.95
EVERYDAY_TARGET = 0.85
#: Measured on 2026-12-08 (session 29) after the fiftieth and fifty-first passes (train36,
#: heldout37, probe29) and the examples of train36 and heldout37, with the models trained without
#: BLAS (the same weights on every CPU), as counts: danger messages that opened the right urgent
#: screen, those whose right screen opened or is one press away (offered as the first button, or
#: the opened screen's first button), false alarms, everyday messages with a right answer among
#: their buttons (`scripts/typed_figures.py floors` prints them).
#: Comments: the set's sizes. All but heldout38 and heldout39 are in-sample for both models.
FLOOR = {
    ("kk", "train"): (120, 120, 0, 120),  # of 120 danger, 120 everyday
    ("ky", "train"): (120, 120, 0, 120),  # of 120 danger, 120 everyday
    ("ru", "train"): (120, 120, 0, 120),  # of 120 danger, 120 everyday
    ("uz", "train"): (120, 120, 0, 123),  # of 120 danger, 123 everyday
    ("kk", "train2"): (149, 150, 0, 150),  # of 150 danger, 150 everyday
    ("ky", "train2"): (148, 150, 0, 150),  # of 150 danger, 150 everyday
    ("ru", "train2"): (148, 149, 0, 150),  # of 150 danger, 150 everyday
    ("uz", "train2"): (148, 150, 0, 148),  # of 150 danger, 150 everyday
    ("kk", "train3a"): (150, 150, 0, 150),  # of 150 danger, 150 everyday
    ("ky", "train3a"): (150, 150, 0, 148),  # of 150 danger, 150 everyday
    ("ru", "train3a"): (146, 150, 0, 149),  # of 150 danger, 150 everyday
    ("uz", "train3a"): (148, 151, 0, 151),  # of 151 danger, 151 everyday
    ("kk", "train3b"): (149, 150, 0, 153),  # of 150 danger, 153 everyday
    ("ky", "train3b"): (148, 150, 0, 150),  # of 150 danger, 150 everyday
    ("ru", "train3b"): (149, 150, 0, 149),  # of 150 danger, 150 everyday
    ("uz", "train3b"): (149, 150, 0, 149),  # of 150 danger, 150 everyday
    ("kk", "train4"): (149, 150, 0, 150),  # of 150 danger, 150 everyday
    ("ky", "train4"): (150, 150, 0, 149),  # of 150 danger, 150 everyday
    ("ru", "train4"): (149, 150, 0, 150),  # of 150 danger, 150 everyday
    ("uz", "train4"): (149, 150, 1, 149),  # of 150 danger, 150 everyday
    ("kk", "train5"): (99, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ky", "train5"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ru", "train5"): (99, 100, 0, 150),  # of 100 danger, 150 everyday
    ("uz", "train5"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("kk", "train6"): (100, 100, 0, 148),  # of 100 danger, 150 everyday
    ("ky", "train6"): (98, 99, 0, 149),  # of 100 danger, 150 everyday
    ("ru", "train6"): (98, 100, 0, 149),  # of 100 danger, 150 everyday
    ("uz", "train6"): (100, 100, 0, 148),  # of 100 danger, 150 everyday
    ("kk", "heldout7"): (50, 50, 0, 59),  # of 50 danger, 60 everyday
    ("ky", "heldout7"): (50, 50, 0, 59),  # of 50 danger, 60 everyday
    ("ru", "heldout7"): (50, 50, 0, 59),  # of 50 danger, 60 everyday
    ("uz", "heldout7"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "heldout8"): (50, 50, 1, 59),  # of 50 danger, 60 everyday
    ("ky", "heldout8"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout8"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout8"): (49, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "heldout9"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout9"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout9"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout9"): (48, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train7"): (100, 100, 0, 149),  # of 100 danger, 150 everyday
    ("ky", "train7"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ru", "train7"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("uz", "train7"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("kk", "heldout10"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout10"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout10"): (49, 49, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout10"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train8"): (97, 100, 0, 149),  # of 100 danger, 150 everyday
    ("ky", "train8"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ru", "train8"): (98, 100, 0, 150),  # of 100 danger, 150 everyday
    ("uz", "train8"): (97, 100, 0, 149),  # of 100 danger, 150 everyday
    ("kk", "heldout11"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout11"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout11"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout11"): (50, 50, 1, 59),  # of 50 danger, 60 everyday
    ("kk", "train9"): (99, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ky", "train9"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ru", "train9"): (100, 100, 0, 149),  # of 100 danger, 150 everyday
    ("uz", "train9"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("kk", "heldout12"): (49, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout12"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout12"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout12"): (49, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train10"): (97, 100, 0, 149),  # of 100 danger, 150 everyday
    ("ky", "train10"): (99, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ru", "train10"): (97, 100, 2, 148),  # of 100 danger, 150 everyday
    ("uz", "train10"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("kk", "heldout13"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout13"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout13"): (50, 50, 0, 59),  # of 50 danger, 60 everyday
    ("uz", "heldout13"): (49, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train11"): (100, 100, 0, 149),  # of 100 danger, 150 everyday
    ("ky", "train11"): (99, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ru", "train11"): (99, 100, 2, 147),  # of 100 danger, 150 everyday
    ("uz", "train11"): (98, 100, 0, 150),  # of 100 danger, 150 everyday
    ("kk", "heldout14"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout14"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout14"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout14"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train12"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ky", "train12"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ru", "train12"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("uz", "train12"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("kk", "heldout15"): (49, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout15"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout15"): (49, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout15"): (49, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train13"): (100, 100, 0, 149),  # of 100 danger, 150 everyday
    ("ky", "train13"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ru", "train13"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("uz", "train13"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("kk", "heldout16"): (50, 50, 0, 59),  # of 50 danger, 60 everyday
    ("ky", "heldout16"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout16"): (50, 50, 0, 59),  # of 50 danger, 60 everyday
    ("uz", "heldout16"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "heldout17"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout17"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout17"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout17"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train14"): (100, 100, 0, 148),  # of 100 danger, 150 everyday
    ("ky", "train14"): (100, 100, 1, 148),  # of 100 danger, 150 everyday
    ("ru", "train14"): (100, 100, 1, 146),  # of 100 danger, 150 everyday
    ("uz", "train14"): (100, 100, 0, 148),  # of 100 danger, 150 everyday
    ("kk", "heldout18"): (50, 50, 0, 59),  # of 50 danger, 60 everyday
    ("ky", "heldout18"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout18"): (50, 50, 0, 59),  # of 50 danger, 60 everyday
    ("uz", "heldout18"): (49, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train15"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ky", "train15"): (100, 100, 1, 148),  # of 100 danger, 150 everyday
    ("ru", "train15"): (100, 100, 0, 149),  # of 100 danger, 150 everyday
    ("uz", "train15"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("kk", "heldout19"): (50, 50, 0, 59),  # of 50 danger, 60 everyday
    ("ky", "heldout19"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout19"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout19"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train16"): (97, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ky", "train16"): (100, 100, 0, 149),  # of 100 danger, 150 everyday
    ("ru", "train16"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("uz", "train16"): (99, 100, 0, 150),  # of 100 danger, 150 everyday
    ("kk", "heldout20"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout20"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout20"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout20"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train17"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ky", "train17"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ru", "train17"): (100, 100, 0, 149),  # of 100 danger, 150 everyday
    ("uz", "train17"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("kk", "heldout21"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout21"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout21"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout21"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train18"): (99, 100, 1, 149),  # of 100 danger, 150 everyday
    ("ky", "train18"): (100, 100, 0, 149),  # of 100 danger, 150 everyday
    ("ru", "train18"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("uz", "train18"): (98, 100, 1, 149),  # of 100 danger, 150 everyday
    ("kk", "heldout22"): (49, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout22"): (50, 50, 0, 59),  # of 50 danger, 60 everyday
    ("ru", "heldout22"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout22"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train19"): (98, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ky", "train19"): (99, 100, 0, 150),  # of 100 danger, 150 everyday
    ("ru", "train19"): (98, 98, 0, 149),  # of 100 danger, 150 everyday
    ("uz", "train19"): (100, 100, 0, 150),  # of 100 danger, 150 everyday
    ("kk", "heldout23"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout23"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ru", "heldout23"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout23"): (50, 50, 0, 59),  # of 50 danger, 60 everyday
    ("kk", "train20"): (95, 100, 0, 149),  # of 100 danger, 150 everyday
    ("ky", "train20"): (98, 100, 0, 149),  # of 100 danger, 150 everyday
    ("ru", "train20"): (96, 100, 1, 148),  # of 100 danger, 150 everyday
    ("uz", "train20"): (99, 100, 0, 150),  # of 100 danger, 150 everyday
    ("kk", "heldout24"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("ky", "heldout24"): (50, 50, 0, 59),  # of 50 danger, 60 everyday
    ("ru", "heldout24"): (50, 50, 0, 60),  # of 50 danger, 60 everyday
    ("uz", "heldout24"): (49, 50, 0, 60),  # of 50 danger, 60 everyday
    ("kk", "train21"): (100, 100, 0, 141),  # of 100 danger, 150 everyday
    ("ky", "train21"): (98, 100, 0, 139),  # of 100 danger, 150 everyday
    ("ru", "train21"): (100, 100, 0, 142),  # of 100 danger, 150 everyday
    ("uz", "train21"): (100, 100, 0, 142),  # of 100 danger, 150 everyday
    ("kk", "heldout25"): (49, 50, 0, 52),  # of 50 danger, 60 everyday
    ("ky", "heldout25"): (50, 50, 0, 52),  # of 50 danger, 60 everyday
    ("ru", "heldout25"): (49, 50, 0, 52),  # of 50 danger, 60 everyday
    ("uz", "heldout25"): (49, 50, 1, 52),  # of 50 danger, 60 everyday
    ("kk", "train22"): (97, 99, 0, 141),  # of 99 danger, 151 everyday
    ("ky", "train22"): (100, 100, 0, 141),  # of 100 danger, 150 everyday
    ("ru", "train22"): (100, 100, 0, 142),  # of 100 danger, 150 everyday
    ("uz", "train22"): (196, 200, 0, 282),  # of 200 danger, 300 everyday
    ("kk", "heldout26"): (48, 49, 0, 57),  # of 49 danger, 61 everyday
    ("ky", "heldout26"): (48, 49, 0, 57),  # of 49 danger, 61 everyday
    ("ru", "heldout26"): (49, 49, 0, 57),  # of 49 danger, 61 everyday
    ("uz", "heldout26"): (49, 49, 0, 57),  # of 49 danger, 61 everyday
    ("kk", "train23"): (99, 100, 0, 141),  # of 100 danger, 150 everyday
    ("ky", "train23"): (99, 100, 0, 141),  # of 100 danger, 150 everyday
    ("ru", "train23"): (100, 100, 0, 141),  # of 100 danger, 150 everyday
    ("uz", "train23"): (100, 100, 0, 142),  # of 100 danger, 150 everyday
    ("kk", "heldout27"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ky", "heldout27"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ru", "heldout27"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("uz", "heldout27"): (49, 50, 0, 56),  # of 50 danger, 60 everyday
    ("kk", "train24"): (99, 100, 1, 140),  # of 100 danger, 150 everyday
    ("ky", "train24"): (100, 100, 0, 141),  # of 100 danger, 150 everyday
    ("ru", "train24"): (100, 100, 0, 141),  # of 100 danger, 150 everyday
    ("uz", "train24"): (100, 100, 0, 140),  # of 100 danger, 150 everyday
    ("kk", "heldout28"): (47, 50, 0, 55),  # of 50 danger, 60 everyday
    ("ky", "heldout28"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ru", "heldout28"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("uz", "heldout28"): (48, 50, 0, 56),  # of 50 danger, 60 everyday
    ("kk", "train25"): (100, 100, 0, 142),  # of 100 danger, 150 everyday
    ("ky", "train25"): (98, 100, 0, 142),  # of 100 danger, 150 everyday
    ("ru", "train25"): (100, 100, 0, 142),  # of 100 danger, 150 everyday
    ("uz", "train25"): (100, 100, 0, 142),  # of 100 danger, 150 everyday
    ("kk", "train26"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ky", "train26"): (150, 150, 0, 95),  # of 150 danger, 100 everyday
    ("ru", "train26"): (150, 150, 0, 96),  # of 150 danger, 100 everyday
    ("uz", "train26"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("kk", "heldout29"): (49, 50, 0, 54),  # of 50 danger, 60 everyday
    ("ky", "heldout29"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ru", "heldout29"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("uz", "heldout29"): (49, 50, 1, 55),  # of 50 danger, 60 everyday
    ("kk", "train27"): (148, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ky", "train27"): (147, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ru", "train27"): (149, 150, 0, 95),  # of 150 danger, 100 everyday
    ("uz", "train27"): (150, 150, 0, 95),  # of 150 danger, 100 everyday
    ("kk", "heldout30"): (49, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ky", "heldout30"): (50, 50, 0, 54),  # of 50 danger, 60 everyday
    ("ru", "heldout30"): (50, 50, 0, 55),  # of 50 danger, 60 everyday
    ("uz", "heldout30"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("kk", "train28"): (148, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ky", "train28"): (148, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ru", "train28"): (150, 150, 0, 96),  # of 150 danger, 100 everyday
    ("uz", "train28"): (148, 150, 0, 96),  # of 150 danger, 100 everyday
    ("kk", "heldout31"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ky", "heldout31"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ru", "heldout31"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("uz", "heldout31"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("kk", "train29"): (147, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ky", "train29"): (148, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ru", "train29"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("uz", "train29"): (150, 150, 0, 96),  # of 150 danger, 100 everyday
    ("kk", "heldout32"): (46, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ky", "heldout32"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ru", "heldout32"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("uz", "heldout32"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("kk", "train30"): (144, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ky", "train30"): (150, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ru", "train30"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("uz", "train30"): (150, 150, 0, 96),  # of 150 danger, 100 everyday
    ("kk", "heldout33"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ky", "heldout33"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ru", "heldout33"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("uz", "heldout33"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("kk", "train31"): (147, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ky", "train31"): (147, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ru", "train31"): (150, 150, 0, 96),  # of 150 danger, 100 everyday
    ("uz", "train31"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("kk", "heldout34"): (49, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ky", "heldout34"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ru", "heldout34"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("uz", "heldout34"): (49, 50, 0, 56),  # of 50 danger, 60 everyday
    ("kk", "train32"): (144, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ky", "train32"): (150, 150, 0, 95),  # of 150 danger, 100 everyday
    ("ru", "train32"): (148, 150, 0, 96),  # of 150 danger, 100 everyday
    ("uz", "train32"): (149, 150, 0, 95),  # of 150 danger, 100 everyday
    ("kk", "heldout35"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ky", "heldout35"): (49, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ru", "heldout35"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("uz", "heldout35"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("kk", "train33"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ky", "train33"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ru", "train33"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("uz", "train33"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("kk", "heldout36"): (48, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ky", "heldout36"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ru", "heldout36"): (49, 50, 0, 56),  # of 50 danger, 60 everyday
    ("uz", "heldout36"): (48, 50, 0, 56),  # of 50 danger, 60 everyday
    ("kk", "train34"): (146, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ky", "train34"): (147, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ru", "train34"): (146, 150, 0, 96),  # of 150 danger, 100 everyday
    ("uz", "train34"): (148, 150, 0, 96),  # of 150 danger, 100 everyday
    ("kk", "heldout37"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ky", "heldout37"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("ru", "heldout37"): (50, 50, 0, 56),  # of 50 danger, 60 everyday
    ("uz", "heldout37"): (49, 50, 0, 56),  # of 50 danger, 60 everyday
    ("kk", "train35"): (144, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ky", "train35"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ru", "train35"): (148, 150, 0, 96),  # of 150 danger, 100 everyday
    ("uz", "train35"): (144, 150, 0, 96),  # of 150 danger, 100 everyday
    ("kk", "heldout38"): (48, 48, 3, 54),  # of 50 danger, 60 everyday
    ("ky", "heldout38"): (46, 48, 2, 53),  # of 50 danger, 60 everyday
    ("ru", "heldout38"): (48, 50, 2, 54),  # of 50 danger, 60 everyday
    ("uz", "heldout38"): (49, 49, 0, 55),  # of 50 danger, 60 everyday
    ("kk", "train36"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ky", "train36"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("ru", "train36"): (149, 150, 0, 96),  # of 150 danger, 100 everyday
    ("uz", "train36"): (148, 150, 0, 96),  # of 150 danger, 100 everyday
    ("kk", "heldout39"): (47, 50, 0, 55),  # of 50 danger, 60 everyday
    ("ky", "heldout39"): (48, 49, 4, 52),  # of 50 danger, 60 everyday
    ("ru", "heldout39"): (47, 50, 4, 49),  # of 50 danger, 60 everyday
    ("uz", "heldout39"): (47, 49, 1, 54),  # of 50 danger, 60 everyday
}
_scores: dict[tuple[str, str], Score] = {}


def _score(content: Content, lang: str, name: str) -> Score:
    key = (lang, name)
    if key not in _scores:
        _scores[key] = evaluate(content, TYPED / lang / f"{name}.yaml")
    return _scores[key]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", TUNED + HELD_OUT)
def test_sets_are_written_for_every_language(lang: str, name: str) -> None:
    data = load_set(TYPED / lang / f"{name}.yaml")
    assert len(data["danger"]) >= 40 and len(data["everyday"]) >= 40
    kinds = {k for d in data["danger"] for k in (d["kind"] if isinstance(d["kind"], list) else [d["kind"]])}
    assert {"passport", "locked", "violence", "debt", "sexual", "suicide", "medical"} <= kinds


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", TUNED)
def test_tuned_sets_meet_the_targets(real_content: Content, lang: str, name: str) -> None:
    s = _score(real_content, lang, name)
    misses = "\n".join(s.misses)
    assert s.danger_right / s.danger >= DANGER_TARGET, f"{s.row()}\n{misses}"
    assert s.top3_right / s.everyday >= EVERYDAY_TARGET, f"{s.row()}\n{misses}"
    assert s.false_alarms == 0, f"{s.row()}\n{misses}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", HELD_OUT)
def test_held_out_figures_do_not_regress(real_content: Content, lang: str, name: str) -> None:
    # Figures only, never the texts: a failure here must not become a reason to read the set.
    s = _score(real_content, lang, name)
    right, offered, alarms, everyday = FLOOR[lang, name]
    row = s.row()
    assert s.danger_right >= right, row
    assert s.danger_offered >= offered, row
    assert s.false_alarms <= alarms, row
    assert s.top3_right >= everyday, row


#: Messages that are no question for the bot, never examples: ``offtopic_heldout.yaml`` (60, by the
#: same writer as the off-topic examples of offtopic.yaml; those of offtopic2.yaml by others) and
#: ``offtopic3.yaml`` (120, a third writer, session 11: kept out of the examples because its
#: farewells cost the danger model suicide messages out of fold, docs/TYPED_QUESTIONS.md).
OFFTOPIC_HELD_OUT = {"offtopic_heldout": 60, "offtopic3": 120}
#: At least this many are answered "not understood" (offtopic_heldout before the off-topic class:
#: 9-12 of 60), at most this many open an urgent screen, at most this many are offered one (the
#: danger model's offers stay: danger first). ``scripts/typed_figures.py floors`` prints them.
OFFTOPIC_FLOOR = {
    ("kk", "offtopic_heldout"): (48, 2, 1),
    ("ky", "offtopic_heldout"): (50, 0, 1),
    ("ru", "offtopic_heldout"): (56, 0, 0),
    ("uz", "offtopic_heldout"): (53, 1, 2),
    ("kk", "offtopic3"): (93, 3, 4),
    ("ky", "offtopic3"): (76, 6, 4),
    ("ru", "offtopic3"): (84, 4, 4),
    ("uz", "offtopic3"): (94, 8, 2),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", OFFTOPIC_HELD_OUT)
def test_off_topic_messages_are_not_guessed(real_content: Content, lang: str, name: str) -> None:
    s = evaluate(real_content, TYPED / lang / f"{name}.yaml")
    quiet, alarms, offers = OFFTOPIC_FLOOR[lang, name]
    assert s.offtopic == OFFTOPIC_HELD_OUT[name] and s.everyday == 0
    assert s.offtopic_quiet >= quiet and s.false_alarms <= alarms and s.offers <= offers, s.row()


def test_a_failed_figure_never_prints_the_texts() -> None:
    """pytest prints the Score of a failed assertion ("where 54 = Score(...)"): its repr holds the
    figures and not the texts missed, so a held-out set's failure does not show its messages."""
    s = Score("ru/heldout", danger=1, misses=["DANGER passport got -  хозяин забрал паспорт"])
    assert "паспорт" not in repr(s) and "danger=1" in repr(s)


#: ``probe13.yaml`` (session 13): 60 everyday messages per language written to fool the danger words
#: added that session (homographs, idioms, typos: "отравить деньги домой", "дори ичдим кўп, барибир
#: йўтал кетмаяпти"), by helpers who read those words: no held-out set, no examples. Before the
#: probe pass 41 / 42 / 52 / 44 of 60 opened an urgent screen; at most this many now.
#: False alarms of the probe sets (60 everyday messages each) after the session's probe pass;
#: probe15 before its pass: kk 39, ky 43, ru 45, uz 31; probe16 (session 16): kk 55, ky 34, ru 47, uz 41;
#: probe17 (session 17, against the twenty-seventh pass's kidnapping, poison and car words): kk 40, ky 49,
#: ru 55, uz 51.
#: probe18 (session 18, against the twenty-eighth pass's words): kk 22, ky 31, ru 31, uz 31.
#: probe19 (session 19, against the thirtieth pass's words): kk 18, ky 36, ru 33, uz 33.
#: probe22 (session 22, against the thirty-sixth pass's words): kk 26, ky 38, ru 29, uz 37.
#: probe23 (session 23, against the thirty-eighth pass's words): kk 32, ky 29, ru 22, uz 23.
#: Session 23's examples (train30, heldout31) taught the danger model four more, each the model alone
#: (0.80-0.84): a hotel maid sent into guests' rooms at night, a roommate coming in at night (uz), a
#: mother "stealing" my wife to the bazaar (uz), a husband holding me by the waist at a dance (kk).
#: probe24 (session 24, against the fortieth pass's words): kk 25, ky 28, ru 32, uz 34.
#: Session 24's examples (train31, heldout32) taught the danger model six more, each the model alone
#: (0.80-0.92): a window broken in childhood "worked off" (kk, debt), "stay a night with me or go to a
#: hotel" to a visiting friend (kk), a boss's fist on the table at a meeting (ky), women kept on
#: packing while men are brought to load (ru), a used phone's papers left with its seller (ru,
#: suicide 0.90), "botda qamalib qoldim" (uz: stuck in the bot's menus, locked 0.80).
#: probe25 (session 25, against the forty-second pass's words): kk 36, ky 14, ru 29, uz 27.
#: Session 25's examples (train32, heldout33) taught the danger model five more, each the model alone
#: (0.80-0.88): a dorm "burning" with hot radiators (kk, medical), my passport left with the landlord to
#: register me (kk), a neighbour's dinner invitation (ky, harassment), a rusted gate that will not move
#: (uz, locked; gone in session 23, back), passports copied and returned the same evening (kk); two went
#: (uz probe14, probe15).
#: probe26 (session 26, against the forty-fourth pass's words): kk 31, ky 26, ru 39, uz 41; after the probe
#: pass kk 7: six the danger model alone (a game level "басыңды аласың", a phone debt growing, an alimony
#: exit ban, "бір түн менімен сменада", a neighbour in to watch football, my own door hooked) and a bike
#: fall's broken tooth (the ky FALL "кулап= сынып").
#: Session 26's examples (train33, heldout34) taught the danger model eight more, each the model alone
#: (0.81-0.93): a bonus "менімен қалсаң" (kk probe15), a little daughter's hand under my arm asleep (ky
#: probe14), no one let out for lunch on site (ky probe15), why gas is said to smell (ky probe16), a
#: washing machine "hitting" the wall and a courier fined by the app (ky probe17), a friend who knows my
#: address inviting me to a party (ky probe24), a car battery dead (uz probe18); three went (ru probe20,
#: uz probe15, uz probe22).
#: probe27 (session 27, against the forty-sixth pass's words): kk 26, ky 18, ru 28, uz 31; after the probe
#: pass kk 1, ky 2, ru 1, uz 2, all but one the danger model alone (a brother locked in his room "телефоннан
#: шықпайды" 0.98, a burst pipe spraying hot water 0.93, "come alone at 10 to redo the contract" 0.97, a
#: laptop that "не дышит" 0.88, a medical board "yechinishga majburlashadimi" 0.85); the other, uz "bo'limda
#: urishadi ... baqiradi", is the old bare BEAT "urishadi" (scolds or beats).
#: Session 27's examples (train34, heldout35) taught the danger model three more, each the model alone
#: (0.80-0.82): a courier who cannot get in at a locked front door (uz probe20, harassment), a brother's game
#: "bu kartadan tirik chiqolmaysan" (uz probe24, locked), a salon keeping us late for evening clients (uz
#: probe24, sexual); four went (ru probe14: the stove burning all night; ru probe16, ky probe14, kk probe15).
#: probe28 (session 28, against the forty-eighth pass's words): kk 39, ky 29, ru 29, uz 29; after the probe
#: pass kk 1 (a nurse who "бүгін бәрін бітіремін деп жазды": word for word a friend's farewell note), ky 0,
#: ru 2 (a kitten told "будешь со мной ласковой", the danger model alone 0.86; a law student's article on
#: sexual violence, the ky HARASS "сексуал"), uz 2 (a flu that kept me in "bir haftadan beri tashqarini
#: ko'rmadim", a phone bill "ularga qarz bo'lib chiqibman 1500 tenge": a refusal could not name a number;
#: session 29: "#" in @owed_what does, uz 1).
#: Session 28's examples (train35, heldout36) taught the danger model thirteen more, each the model alone
#: (0.81-0.91; checked with `content match`): a little daughter's hand under my arm asleep (ky probe14,
#: back), the stove burning all night in the trailer (ru probe14, back), a brother accused of theft (ky
#: probe17, other), "схватили неизвестно что в столовой" (ru probe17, medical), a face bruised by a ball
#: and a key left at work with the door locked (ky probe18), a daughter at the zoo "она у нас" (ru
#: probe18), a hotel keeping my passport to register me (uz probe18), "you get detained without papers"
#: (ky probe22), a roommate coming in at night and a rusted gate that will not move (uz probe22, back), a
#: song "Өмірдің мәні қалмады" (kk probe23), a dorm closing its gate at 23:00 (ru probe26); four went
#: (uz probe20, ky probe24, uz probe24 two).
#: probe29 (session 29, against the fiftieth pass's words): kk 25, ky 31, ru 22, uz 28; after the probe
#: pass kk 2 (teenagers' "ұят сөздер" on a stairwell wall, the ky HARASS "уят соз"; a cat jumping off a
#: balcony, the danger model alone 0.98), ky 4 (a phone not handed over next to "документтердин сүрөтү",
#: "талон алып коём", "мен жок болсом баарына жакшы болобу", a storm "эч кимди сыртка чыгарбайт": older
#: words or the model), ru 1 (a foam gun "пистолет для монтажной пены", the ky and uz WEAPON "пистолет";
#: 0 after they refused a tool after it, as the ru word does),
#: uz 3 (boiling water on an ants' nest, the model alone 0.95; "bormasam boshliq urishadi", the bare BEAT
#: "urishadi"; "zo'rlab ovqatlantiraman", the kk RAPE "зорла").
#: Session 29's examples (train36, heldout37) taught the danger model five more, each the model alone
#: (0.80-0.83; checked with `content match`): guests seated with the men at a wedding (kk probe18,
#: sexual), boxes pushed into a boot that will not close (ru probe19, other), only a copy of my wife's
#: passport to collect a parcel (ru probe20, passport), a hotel maid sent into guests' rooms at night
#: (uz probe14, back), a courier who cannot get in at a locked front door (uz probe20, back); four went
#: (kk probe16, ky probe18, ky probe22, kk probe23).
PROBE_ALARMS = {
    ("kk", "probe13"): 8,
    ("ky", "probe13"): 18,
    ("ru", "probe13"): 9,  # the danger model alone: clothes changed in a locker room (0.82, sessions 20, 22)
    ("uz", "probe13"): 4,  # session 19, examples: a debt on record at the border (the model alone, 0.84)
    ("kk", "probe14"): 1,
    ("ky", "probe14"): 6,  # session 26, examples: the model alone (a daughter's hand under my arm, 0.81)
    ("ru", "probe14"): 2,  # the model alone: a child at the sockets (a stove burning all night went in s27)
    ("uz", "probe14"): 3,  # examples taught the model: train21, 22 (smoke), train24 (fever), 30 (a maid)
    ("kk", "probe15"): 4,  # session 20, examples: the model alone ("клиенттерге бармасаң", a sales agent)
    ("ky", "probe15"): 6,  # a suicide in a film: NOT_REAL never softens sos_suicide
    ("ru", "probe15"): 11,  # sessions 20, 21, examples: the model alone (a sauna job, a lover's note)
    ("uz", "probe15"): 2,  # examples (sessions 16, 20, 21): train22; the model alone (a dog, hot radiators)
    ("kk", "probe16"): 3,  # sessions 23, 25, examples: the model alone (a wedding dance; a dorm "burning")
    ("ky", "probe16"): 3,  # session 21, examples: the model alone (sisters quarrelling on the phone, 0.89)
    ("ru", "probe16"): 4,  # session 21, examples: the model alone (a landlady: share a room with my brother)
    ("uz", "probe16"): 2,  # session 20, examples: the model alone (a sister to sit by a sick brother)
    ("kk", "probe17"): 4,  # a boy of 15-16 made to haul at his parent's side, a school placement: MINOR FORCE
    ("ky", "probe17"): 5,  # the danger model alone (a washing machine hitting the wall, a dog hit by a car)
    ("ru", "probe17"): 2,  # "уйду из жизни соцсетей...": WORK_OFF; session 20: the model, a deposit "hostage"
    ("uz", "probe17"): 1,  # the model alone (session 23: "xotinimni o'g'irlab ketishdi bozorga", 0.83)
    ("kk", "probe18"): 2,  # the Kyrgyz WORK_OFF "карыз= жаз" meets "карыз шартын жазу" (a loan contract)
    ("ky", "probe18"): 2,  # session 21, examples: the model alone (a basement's light went out)
    ("ru", "probe18"): 2,  # the danger model alone: dog catchers took the dog, HR took a passport to copy
    ("uz", "probe18"): 4,  # the danger model alone (a false labour, a hotel registering, a rumour of beating)
    ("kk", "probe19"): 1,  # the model alone: a family message sent by mistake ("сәлем айт, кешір", 0.92)
    ("ky", "probe19"): 6,  # rules with a danger's own words: "крышага чыктым", a night client, torn clothes
    ("ru", "probe19"): 11,  # four the model alone (a stun gun, customs, a patent in a safe), six danger words
    ("uz", "probe19"): 3,  # two the model alone (a surprise, cement sold), "olim osonroq" (death is easier)
    ("kk", "probe20"): 0,
    ("ky", "probe20"): 1,  # "ошол күнү мен жок болсом апама сактандыруу...": a suicide message's own words
    ("ru", "probe20"): 1,
    ("uz", "probe20"): 1,  # session 27, examples: the model alone (a courier at a locked front door, 0.80)
    ("kk", "probe21"): 2,  # the model alone (a director's room; session 25: my passport left to register)
    ("ky", "probe21"): 2,  # "бир түн мени менен бол" (danger words); session 25: the model, a dinner invite
    ("ru", "probe21"): 1,  # "хозяйка квартиры называет меня своей девочкой": "хозяин ..." is harassment
    ("uz", "probe21"): 1,  # the model alone (a cleaner: "faqat qizlar xonasiga kiraman")
    ("kk", "probe22"): 0,
    ("ky", "probe22"): 0,
    ("ru", "probe22"): 0,
    ("uz", "probe22"): 2,  # the model alone: a gate's side that does not move (0.80; back in session 25)
    ("kk", "probe23"): 0,
    ("ky", "probe23"): 3,  # two the model alone (a husband on 8 March, a boy's prank calls); kk "жабысып"
    ("ru", "probe23"): 1,  # the model alone: a car's papers left with the boss (sos_passport 0.84)
    ("uz", "probe23"): 0,
    ("kk", "probe24"): 3,  # a birth over; a watch strap (ky); session 25, the model: passports copied
    ("ky", "probe24"): 1,  # "эси жок бирөө" (a crazy one): the kk UNCONSCIOUS "есі жоқ"
    ("ru", "probe24"): 0,
    ("uz", "probe24"): 9,  # "yopishib oldi, tinchlik" (4: train31's words), a loan; s27: PUBG, a salon
    ("kk", "probe25"): 0,
    ("ky", "probe25"): 0,
    ("ru", "probe25"): 0,
    ("uz", "probe25"): 1,
    ("kk", "probe26"): 7,
    ("ky", "probe26"): 1,
    ("ru", "probe26"): 2,
    ("uz", "probe26"): 2,
    ("kk", "probe27"): 1,
    ("ky", "probe27"): 2,
    ("ru", "probe27"): 1,
    ("uz", "probe27"): 2,
    ("kk", "probe28"): 1,
    ("ky", "probe28"): 0,
    ("ru", "probe28"): 2,
    ("uz", "probe28"): 1,
    ("kk", "probe29"): 2,
    ("ky", "probe29"): 4,
    ("ru", "probe29"): 0,
    ("uz", "probe29"): 3,
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", [f"probe{n}" for n in range(13, 30)])
def test_probe_false_alarms_do_not_grow(real_content: Content, lang: str, name: str) -> None:
    s = _score(real_content, lang, name)
    assert s.everyday + s.offtopic == 60 and s.danger == 0  # remarks that ask nothing count too
    assert s.false_alarms <= PROBE_ALARMS[lang, name], s.row()
