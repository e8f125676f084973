import { Img, Link, Section, Text } from '@react-email/components';
import { type EmailProps, stringsFor } from '../content.ts';
import { Title } from './layout.tsx';

/** The mailing's stories, in position order: title, image, Markdown body, link, author. */
export function Stories({ props }: { props: EmailProps }) {
  const t = stringsFor(props);
  return (
    <>
      {props.stories.map((s, i) => (
        <Section key={i} style={{ marginBottom: '24px' }}>
          <Title>{s.link ? <Link href={s.link}>{s.title}</Link> : s.title}</Title>
          {s.image && <Img src={s.image} alt={s.title} width="552" style={{ maxWidth: '100%', height: 'auto' }} />}
          {s.bodyHtml && <div dangerouslySetInnerHTML={{ __html: s.bodyHtml }} />}
          {s.link && <Text><Link href={s.link}>{t.readMore} →</Link></Text>}
          {s.author && <Text style={{ fontSize: '12px', color: '#666' }}>{t.by(s.author)}</Text>}
        </Section>
      ))}
    </>
  );
}
