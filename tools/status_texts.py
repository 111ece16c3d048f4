#!/usr/bin/env python3
"""Writes Rebooking.Api/Outages/StatusTexts*.resx (the public status page's fixed texts in de, en, tr, uk, ar) from one table.
The tr, uk and ar texts await review by a native speaker. Run after changing a text: python3 tools/status_texts.py"""
import html
import os
base=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'Rebooking.Api', 'Outages') + '/'
keys = ["Culture","DateTimeFormat","SkipToContent","LanguageNav","StatusTitle","AsOf","StatusAllWell","StatusOutage","StatusUntil",
        "StatusUntilFurtherNotice","OfficesLegend","ServicesLegend","StatusStillAvailable","StatusContact","StatusContactText","Phone","EmailShort","All"]
T = {
 "de": ["de-DE","ddd, dd.MM.yyyy, HH:mm 'Uhr'","Zum Inhalt springen","Sprache","Störungen bei {0}","Stand: {0}.",
        "Zurzeit sind keine Störungen bekannt. Alle Termine finden statt.","Störung seit {0}","Voraussichtlich bis",
        "noch unklar – wir informieren hier täglich","Standorte","Dienstleistungen","Finden trotzdem statt","Kontakt",
        "Wer betroffen ist, bekommt eine Nachricht mit einem Link für einen neuen Termin. Fragen beantworten wir hier:","Telefon","E-Mail","alle"],
 "en": ["en-GB","ddd d MMM yyyy, HH:mm","Skip to content","Language","Disruptions at {0}","As of {0}.",
        "No disruptions known at the moment. All appointments take place.","Disruption since {0}","Expected until",
        "not yet known – updated here daily","Offices","Services","Still take place","Contact",
        "If you are affected you get a message with a link to a new appointment. For questions:","Phone","E-mail","all"],
 "tr": ["tr-TR","d MMMM yyyy ddd, HH:mm","İçeriğe geç","Dil","{0}: aksaklıklar","Son durum: {0}.",
        "Şu anda bilinen bir aksaklık yok. Bütün randevular yapılacak.","{0} tarihinden beri aksaklık","Tahmini bitiş",
        "henüz belli değil – burada her gün bilgi veriyoruz","Hizmet yerleri","Hizmetler","Yine de yapılacak","İletişim",
        "Randevusu etkilenen herkes, yeni randevu için bağlantı içeren bir mesaj alır. Sorularınız için:","Telefon","E-posta","hepsi"],
 "uk": ["uk-UA","ddd, dd.MM.yyyy, HH:mm","Перейти до змісту","Мова","Збої в роботі: {0}","Станом на {0}.",
        "Зараз збоїв немає. Усі прийоми відбудуться.","Збій з {0}","Орієнтовно до",
        "ще невідомо – оновлюємо тут щодня","Установи","Послуги","Усе ж відбудуться","Контакт",
        "Кого це стосується, отримає повідомлення з посиланням для нового запису. Запитання:","Телефон","Ел. пошта","усі"],
 "ar": ["ar","dddd، d MMMM yyyy، HH:mm","انتقل إلى المحتوى","اللغة","أعطال لدى {0}","آخر تحديث: {0}.",
        "لا توجد أعطال معروفة حاليًا. جميع المواعيد ستتم.","عطل منذ {0}","حتى على الأرجح",
        "غير معروف بعد – نحدّث هذه الصفحة يوميًا","المكاتب","الخدمات","ستتم رغم ذلك","التواصل",
        "من يتأثر موعده يصله إشعار فيه رابط لحجز موعد جديد. للاستفسار:","الهاتف","البريد الإلكتروني","الكل"],
}
head = '''<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''
for lang, values in T.items():
    assert len(values) == len(keys), lang
    name = '' if lang == 'de' else '.' + lang
    body = ''.join(f'  <data name="{k}" xml:space="preserve"><value>{html.escape(v, quote=False)}</value></data>\n' for k, v in zip(keys, values))
    open(base+f'StatusTexts{name}.resx','w').write(head+body+'</root>\n')
