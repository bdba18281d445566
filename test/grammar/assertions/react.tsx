// SYNTAX TEST "source.tsx" "suspension points in TSX"

export default async function Page({ id }: { id: string }) {
  const data = await load(id);
//             ^^^^^ keyword.control.suspension.await.async-lens keyword.control.flow.tsx
  return (
    <main onClick={async () => { await save(data); }}>
//                               ^^^^^ keyword.control.suspension.await.async-lens
      {items.map((item) => <Row key={item.id} rows={function* () { yield item; }} />)}
//                                                                 ^^^^^ keyword.control.flow.tsx - keyword.control.suspension.yield.async-lens
      <p>{`${await title()}`}</p>
//           ^^^^^ keyword.control.suspension.await.async-lens
    </main>
  );
}

const Sync = () => {
  const gen = function* () { yield 1; };
//                           ^^^^^ - keyword.control.suspension.yield.async-lens
  return <p>{label}</p>;
//       ^ punctuation.definition.tag.begin.tsx
};
