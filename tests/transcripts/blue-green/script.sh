# Course experiment 1: blue-green with two ReplicaSets and a Service selector switch.
kubectl apply -f replicaset-demo.yaml
kubectl get rs
sleep 30
kubectl get pods
kubectl apply -f service-blue-green.yaml
kubectl get svc
kubectl get ep
kubectl run client-$RANDOM --image=ikubernetes/admin-box:v1.2 --restart=Never -it --rm --command -- /bin/bash
for i in $(seq 4); do curl demoapp-svc.default; sleep .5; done
exit
kubectl apply -f replicaset-demo-v1.1.yaml
sleep 30
kubectl get pods
kubectl get svc -o wide
# v1.1 is ready but gets no traffic until the Service selects it.
cat > service-blue-green.yaml <<'YAML'
---
apiVersion: v1
kind: Service
metadata:
  name: demoapp-svc
  namespace: default
spec:
  type: ClusterIP
  selector:
    app: demoapp
    version: v1.1
  ports:
  - name: http
    port: 80
    protocol: TCP
    targetPort: 80
YAML
kubectl apply -f service-blue-green.yaml
kubectl get ep demoapp-svc
kubectl run client-$RANDOM --image=ikubernetes/admin-box:v1.2 --restart=Never -it --rm --command -- /bin/bash
for i in $(seq 4); do curl demoapp-svc.default; sleep .5; done
exit
